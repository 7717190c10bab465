#!/bin/sh
# Starts real nginx and Apache on loopback under PREFIX ($1) with rules that refuse requests in
# every way `why403 logs` classifies, sends requests with curl, stops the servers, and leaves
# PREFIX/nginx/{access,error}.log and PREFIX/apache/{access,error}.log behind.
# Usage: run-servers.sh PREFIX NGINX_PORT APACHE_PORT
set -u
P=$1; NP=$2; AP=$3
mkdir -p "$P/nginx/www/deny" "$P/nginx/www/dir" "$P/nginx/www/noperm" "$P/nginx/www/nox" "$P/nginx/www/auth" "$P/nginx/www/limited" \
         "$P/nginx/www/links" "$P/nginx/www/conn" "$P/apache/www/hta" \
         "$P/apache/www/denied" "$P/apache/www/limited" "$P/apache/www/old" "$P/apache/www/dir" "$P/apache/www/nox" "$P/apache/www/auth" "$P/apache/www/link" "$P/apache/www/waf"
chmod 755 "$P" "$P/nginx" "$P/apache"
HASH=$(openssl passwd -apr1 secretpw)
printf 'alice:%s\nbob:%s\n' "$HASH" "$HASH" > "$P/htpasswd"; chmod 644 "$P/htpasswd"
for d in nginx apache; do
  echo ok > "$P/$d/www/index.html"; echo s > "$P/$d/www/secret.txt"; chmod 600 "$P/$d/www/secret.txt"
  echo a > "$P/$d/www/auth/index.html"; echo l > "$P/$d/www/limited/index.html"
done
echo n > "$P/nginx/www/noperm/index.html"; chmod 600 "$P/nginx/www/noperm/index.html"
echo n > "$P/nginx/www/nox/index.html"; chmod 700 "$P/nginx/www/nox"
echo x > "$P/apache/www/nox/page.html"; chmod 700 "$P/apache/www/nox"
echo t > "$P/apache/target.html"; chmod 644 "$P/apache/target.html"; ln -sf "$P/apache/target.html" "$P/apache/www/link/t.html"
echo w > "$P/apache/www/waf/index.html"
# nginx: a symlink under disable_symlinks, a symlink loop, a slow file for limit_conn.
echo t > "$P/nginx/target.html"; chmod 644 "$P/nginx/target.html"; ln -sf "$P/nginx/target.html" "$P/nginx/www/links/t.html"
ln -sf loop2 "$P/nginx/www/loop1"; ln -sf loop1 "$P/nginx/www/loop2"
head -c 200000 /dev/zero > "$P/nginx/www/conn/big.bin"
# Apache: an .htaccess the server's user cannot read (AH00529).
echo h > "$P/apache/www/hta/index.html"; echo "Options -Indexes" > "$P/apache/www/hta/.htaccess"; chmod 600 "$P/apache/www/hta/.htaccess"
cat > "$P/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $P/nginx/nginx.pid;
error_log $P/nginx/error.log info;
events { worker_connections 64; }
http {
  access_log $P/nginx/access.log combined;
  # The format of nginx.org's packages and Docker image, and of the RHEL family's nginx.conf.
  log_format main '\$remote_addr - \$remote_user [\$time_local] "\$request" '
                  '\$status \$body_bytes_sent "\$http_referer" '
                  '"\$http_user_agent" "\$http_x_forwarded_for"';
  access_log $P/nginx/access-main.log main;
  client_body_temp_path $P/nginx/tmp; proxy_temp_path $P/nginx/tmp; fastcgi_temp_path $P/nginx/tmp;
  uwsgi_temp_path $P/nginx/tmp; scgi_temp_path $P/nginx/tmp;
  limit_req_zone \$binary_remote_addr zone=one:1m rate=1r/m;
  limit_conn_zone \$binary_remote_addr zone=addr:1m;
  server {
    listen 127.0.0.1:$NP;
    server_name localhost;
    root $P/nginx/www;
    location /deny/ { deny all; }
    location /auth/ { auth_basic "area"; auth_basic_user_file $P/htpasswd; }
    location /limited/ { limit_req zone=one nodelay; limit_req_status 429; }
    location /links/ { disable_symlinks on; }
    location /conn/ { limit_conn addr 1; limit_conn_status 403; limit_rate 20k; }
  }
}
CONF
mkdir -p "$P/nginx/tmp"
M=/usr/lib/apache2/modules
cat > "$P/apache/httpd.conf" <<CONF
ServerRoot $P/apache
LoadModule mpm_prefork_module $M/mod_mpm_prefork.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule authz_host_module $M/mod_authz_host.so
LoadModule authz_user_module $M/mod_authz_user.so
LoadModule authn_core_module $M/mod_authn_core.so
LoadModule authn_file_module $M/mod_authn_file.so
LoadModule auth_basic_module $M/mod_auth_basic.so
LoadModule access_compat_module $M/mod_access_compat.so
LoadModule dir_module $M/mod_dir.so
LoadModule autoindex_module $M/mod_autoindex.so
LoadModule mime_module $M/mod_mime.so
LoadModule unique_id_module $M/mod_unique_id.so
LoadModule security2_module $M/mod_security2.so
User nobody
Group nogroup
ServerName localhost
Listen 127.0.0.1:$AP
PidFile $P/apache/httpd.pid
ErrorLog $P/apache/error.log
LogLevel warn
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
CustomLog $P/apache/access.log combined
# Debian's and Ubuntu's format for virtual hosts without a CustomLog of their own (apache2.conf, other_vhosts_access.log).
LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined
CustomLog $P/apache/other_vhosts_access.log vhost_combined
TypesConfig /etc/mime.types
DocumentRoot $P/apache/www
DirectoryIndex index.html
<Directory />
  Options -Indexes -FollowSymLinks
  AllowOverride None
  Require all granted
</Directory>
<Directory $P/apache/www/hta>
  AllowOverride Options
</Directory>
<Location /denied>
  Require all denied
</Location>
<Location /old>
  Order deny,allow
  Deny from all
</Location>
<Directory $P/apache/www/auth>
  AuthType Basic
  AuthName "area"
  AuthUserFile $P/htpasswd
  Require user alice
</Directory>
SecRuleEngine On
SecRequestBodyAccess On
SecAuditEngine Off
SecDataDir $P/apache
SecTmpDir $P/apache
Include /usr/share/modsecurity-crs/owasp-crs.load
SecRule ARGS "@contains attack" "id:10001,phase:2,deny,status:403,log,msg:'test attack word',tag:'why403-test',logdata:'%{MATCHED_VAR}'"
CONF
nginx -c "$P/nginx/nginx.conf" || exit 10
apache2 -f "$P/apache/httpd.conf" -k start || { kill "$(cat "$P/nginx/nginx.pid")"; exit 11; }
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  curl -s -o /dev/null "http://127.0.0.1:$NP/" && curl -s -o /dev/null "http://127.0.0.1:$AP/" && break; sleep 0.2
done
N="http://127.0.0.1:$NP"; A="http://127.0.0.1:$AP"
c() { curl -s -o /dev/null -w '%{http_code} %{url_effective}\n' "$@"; }
c "$N/deny/x"; c "$N/dir/"; c "$N/secret.txt"; c "$N/noperm/"; c "$N/nox/"; c "$N/auth/"; c -u carol:x "$N/auth/"; c -u alice:wrong "$N/auth/"
c "$N/limited/"; c "$N/limited/"; c "$N/limited/"
c "$N/links/t.html"; c "$N/loop1"
# limit_conn: a slow download holds the one connection allowed while a second request comes.
# Wait until the first has bytes (it holds the connection), then send the second.
curl -s -o "$P/slow.part" --max-time 8 "$N/conn/big.bin" & slow=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$P/slow.part" ] && break; sleep 0.2; done
c --max-time 8 "$N/conn/big.bin"; kill $slow 2>/dev/null; wait $slow 2>/dev/null
c "$A/denied/"; c "$A/old/"; c "$A/dir/"; c "$A/secret.txt"; c "$A/nox/page.html"; c "$A/auth/"; c -u carol:x "$A/auth/"
c -u alice:wrong "$A/auth/"; c -H 'Authorization: Bearer abc.def' "$A/auth/"; c -u bob:secretpw "$A/auth/"; c "$A/hta/"; c "$A/link/t.html"; c "$A/waf/?q=attack"; c "$A/waf/?q=%3Cscript%3Ealert(1)%3C/script%3E"
kill "$(cat "$P/nginx/nginx.pid")"
apache2 -f "$P/apache/httpd.conf" -k stop
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
  [ -e "$P/nginx/nginx.pid" ] || [ -e "$P/apache/httpd.pid" ] || break; sleep 0.2
done
exit 0
