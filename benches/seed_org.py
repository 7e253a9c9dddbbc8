"""Seeds moto with an AWS Organization: the management account and MEMBERS member accounts, each
with a small estate created through assumed-role credentials (two buckets, one of them TLS-only,
and a console user without MFA). Usage: seed_org.py URL MEMBERS ROLE"""
import json
import sys

import boto3

url, members, role = sys.argv[1], int(sys.argv[2]), sys.argv[3]
kw = dict(endpoint_url=url, region_name="us-east-1",
          aws_access_key_id="testing", aws_secret_access_key="testing")
org = boto3.client("organizations", **kw)
org.create_organization(FeatureSet="ALL")
sts = boto3.client("sts", **kw)
tls = ('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",'
       '"Resource":["arn:aws:s3:::B","arn:aws:s3:::B/*"],'
       '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}')
for i in range(members):
    account = org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")[
        "CreateAccountStatus"]["AccountId"]
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}",
                        RoleSessionName="seed")["Credentials"]
    ck = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
              aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
    s3 = boto3.client("s3", **ck)
    s3.create_bucket(Bucket=f"phi-{account}")
    s3.create_bucket(Bucket=f"safe-{account}")
    s3.put_bucket_policy(Bucket=f"safe-{account}", Policy=tls.replace("B", f"safe-{account}"))
    iam = boto3.client("iam", **ck)
    iam.create_user(UserName=f"dev-{i}")
    iam.create_login_profile(UserName=f"dev-{i}", Password="Correct-Horse-9-Battery")
    # moto makes the default VPC of an account on its first EC2 call: make it before timing.
    boto3.client("ec2", **ck).describe_vpcs()
boto3.client("ec2", **kw).describe_vpcs()
print(json.dumps({"members": members}))
