#!/bin/bash
# Regenerates the README's examples from the built binary.
W=.build/debug/why403
TOKEN=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tLyIsInN1YiI6InVzZXItNDIiLCJzY29wZSI6InJlYWQ6cHJvZmlsZSB3cml0ZTpwcm9maWxlIiwiaWF0IjoxNzk1ODU1ODAwLCJleHAiOjE3OTU4NTk0MDB9.bm90LWNoZWNrZWQtd2l0aG91dC1qd2tz
ex() { # title, command (as shown), lines to keep
  echo "### $1"; echo; echo '```sh'; echo "$2"; echo '```'; echo '```'
  eval "${2/why403/$W}" 2>&1 | head -n "$3"
  echo '```'; echo
}
echo "## Examples"
echo
echo "Each runs as is from a checkout (after \`swift build\`, with \`.build/debug\` on PATH); the output is real, cut short."
echo
ex "A saved response: Cloudflare's firewall" "why403 response Tests/Fixtures/responses/cloudflare-1020/html-page.hit.http" 12
ex "An API token that lacks a scope (decoded locally, never sent)" "why403 token $TOKEN --scope admin:reports --now 1795856400" 14
ex "An S3 bucket policy" "why403 s3 --action s3:GetObject --resource arn:aws:s3:::amzn-s3-demo-bucket/reports/q3.csv --principal arn:aws:iam::444455556666:role/analytics --bucket-policy Tests/Fixtures/s3/policies/tls-only-bucket-policy.json --context aws:SecureTransport=false" 10
ex "A legitimate request blocked by ModSecurity and the OWASP CRS (libmodsecurity3 and modsecurity-crs installed)" "why403 modsecurity 'http://shop.test/lessons?q=select+name+from+students+where+id%3D1+or+1%3D1' --crs -H 'User-Agent: Mozilla/5.0' -H 'Accept: text/html'" 18
ex "An exported Cloudflare custom rule" "why403 cloudflare https://www.example.com/admin/users --rules Tests/Fixtures/cloudflare/zone-custom.json --client-ip 203.0.113.7 --country DE --bot-score 90 --no-verified-bot" 10
ex "An AWS WAF web ACL" "why403 aws-waf https://intranet.example.com/ --web-acl Tests/Fixtures/aws-waf/cases/default-block/web-acl.json --ip-set Tests/Fixtures/aws-waf/cases/default-block/ip-set.json --client-ip 203.0.113.9" 9
ex "Can the web server read a file?" "mkdir -p /tmp/site && echo hi > /tmp/site/index.html && chmod 600 /tmp/site/index.html && why403 fs /tmp/site/index.html --user www-data" 16
ex "Every 403 in the logs, grouped by cause" "why403 logs Tests/Fixtures/logs/recorded/nginx-error.log Tests/Fixtures/logs/recorded/nginx-access.log --top 3" 30
ex "Bad input: exit status 2, the file and line named" "why403 s3 --action s3:GetObject --resource arn:aws:s3:::b/k --bucket-policy Tests/Fixtures/s3/moto/scenarios.json; echo \"exit status \$?\"" 6
echo "White-box nginx and Apache (\`why403 nginx URL --config FILE\`, \`why403 apache URL --config FILE\`) and"
echo "\`why403 diagnose\` need a configuration and files: \`why403 lab --keep\` leaves every scenario's files in a scratch"
echo "folder to try them on; [docs/nginx.md](docs/nginx.md), [docs/apache.md](docs/apache.md) and"
echo "[docs/diagnose.md](docs/diagnose.md) show real runs."
