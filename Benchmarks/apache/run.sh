#!/bin/sh
# Benchmark: why403 apache vs `apache2 -t` on the same generated configuration (thousands of
# virtual hosts), in one run. Prints the median of RUNS wall-clock timings of each (runs interleaved) and their ratio.
#
#   WHY403=.build-release/release/why403 VHOSTS=5000 RUNS=5 Benchmarks/apache/run.sh
#
# apache2 -t parses and checks the whole configuration (it loads the modules too); why403 parses the
# same files, picks the virtual host of the last name and explains one request. Goal: no slower.
set -eu
WHY403=${WHY403:-.build-release/release/why403}
VHOSTS=${VHOSTS:-5000}
RUNS=${RUNS:-5}
APACHE=${APACHE:-$(command -v apache2 || echo /usr/sbin/apache2)}
[ -x "$WHY403" ] || { echo "no why403 binary at $WHY403 (set WHY403=path)" >&2; exit 2; }
[ -x "$APACHE" ] || { echo "apache2 not found" >&2; exit 2; }

DIR=$(mktemp -d /tmp/why403-apache-bench.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$DIR"' EXIT
chmod 755 "$DIR"
mkdir -p "$DIR/www" "$DIR/sites"
echo hi > "$DIR/www/index.html"
M=/usr/lib/apache2/modules
cat > "$DIR/httpd.conf" <<CONF
ServerRoot "$DIR"
Listen 127.0.0.1:8089
PidFile $DIR/httpd.pid
ErrorLog $DIR/error.log
DefaultRuntimeDir $DIR
ServerName localhost
LoadModule mpm_prefork_module $M/mod_mpm_prefork.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule authz_host_module $M/mod_authz_host.so
LoadModule access_compat_module $M/mod_access_compat.so
LoadModule alias_module $M/mod_alias.so
LoadModule dir_module $M/mod_dir.so
LoadModule rewrite_module $M/mod_rewrite.so
DocumentRoot "$DIR/www"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
IncludeOptional sites/*.conf
CONF
i=0
while [ $i -lt "$VHOSTS" ]; do
  cat > "$DIR/sites/site$i.conf" <<SITE
<VirtualHost *:8089>
    ServerName host$i.test
    ServerAlias www.host$i.test *.h$i.test
    DocumentRoot "$DIR/www"
    Alias /static$i "$DIR/www"
    RewriteEngine On
    RewriteCond %{HTTP_REFERER} !^$
    RewriteRule \.png$ - [F]
    <Directory "$DIR/www">
        Options -Indexes +FollowSymLinks
        <RequireAny>
            Require ip 10.$((i % 250)).0.0/16
            Require all granted
        </RequireAny>
    </Directory>
    <Location "/admin$i">
        Require ip 127.0.0.1
    </Location>
</VirtualHost>
SITE
  i=$((i + 1))
done
LAST=$((VHOSTS - 1))

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { s=$(now); "$@" >/dev/null 2>&1 || true; e=$(now); echo $(( (e - s) / 1000000 )); }

"$APACHE" -t -f "$DIR/httpd.conf" >/dev/null 2>&1 || { echo "apache2 -t rejects the generated config:" >&2; "$APACHE" -t -f "$DIR/httpd.conf"; exit 1; }
"$WHY403" apache "http://host$LAST.test:8089/index.html" --config "$DIR/httpd.conf" --client-ip 127.0.0.1 --format json > "$DIR/out.json"
grep -q '"status" : 200\|"status":200' "$DIR/out.json" || { echo "why403 did not predict 200:" >&2; cat "$DIR/out.json" >&2; exit 1; }

# Interleaved, so drift in the machine's load hits both tools alike.
: > "$DIR/a.ms"; : > "$DIR/w.ms"
for _ in $(seq "$RUNS"); do
  ms "$APACHE" -t -f "$DIR/httpd.conf" >> "$DIR/a.ms"
  ms "$WHY403" apache "http://host$LAST.test:8089/index.html" --config "$DIR/httpd.conf" --client-ip 127.0.0.1 --format json >> "$DIR/w.ms"
done
A=$(median < "$DIR/a.ms")
W=$(median < "$DIR/w.ms")
echo "config: $VHOSTS virtual hosts in $VHOSTS files ($(cat "$DIR"/sites/*.conf "$DIR/httpd.conf" | wc -l) lines); median of $RUNS runs"
echo "apache2 -t:    ${A} ms"
echo "why403 apache: ${W} ms"
awk -v a="$A" -v w="$W" 'BEGIN { if (a > 0) printf "ratio why403/apache2 -t: %.2f (below 1 = faster)\n", w / a }'
