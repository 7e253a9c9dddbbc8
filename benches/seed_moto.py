"""Seeds a moto server with a large AWS account for benches/aws-moto.sh.

Usage: python seed_moto.py ENDPOINT BUCKETS USERS RDS
"""
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3

endpoint, buckets, users, dbs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3, iam, rds = boto3.client("s3", **kw), boto3.client("iam", **kw), boto3.client("rds", **kw)


def bucket(i):
    name = f"bench-bucket-{i:05d}"
    s3.create_bucket(Bucket=name)
    if i % 2 == 0:
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
        )
    if i % 3 == 0:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "phi", "Value": "true"}]})


def user(i):
    name = f"bench-user-{i:05d}"
    iam.create_user(UserName=name)
    if i % 2 == 0:
        iam.create_login_profile(UserName=name, Password="Correct-Horse-9-Battery")
    if i % 5 == 0:
        iam.create_access_key(UserName=name)


def db(i):
    rds.create_db_instance(
        DBInstanceIdentifier=f"bench-db-{i:04d}", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="dbadmin", MasterUserPassword="not-a-real-password-1",
        StorageEncrypted=i % 2 == 0, BackupRetentionPeriod=(i % 10) + 1,
    )


with ThreadPoolExecutor(8) as pool:
    for f, n in ((bucket, buckets), (user, users), (db, dbs)):
        list(pool.map(f, range(n)))
print(f"seeded {buckets} buckets, {users} users, {dbs} DB instances")
