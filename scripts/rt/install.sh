#!/bin/sh
# Install Request Tracker 5 (Debian 12 request-tracker5) with SQLite + standalone server, no prompts.
# Usage (root): scripts/rt/install.sh   Re-runnable: installs the packages once, the site config
# (99-sla-lens.pm) every time, and saves the empty database for scripts/rt/start.sh reset.
set -eu
ROOTPW="${RT_ROOT_PW:-rt-root-pw}"     # RT superuser 'root' web password (>=5 chars)
APT="apt-get -o DPkg::Lock::Timeout=1200 -o Acquire::Retries=3"
export DEBIAN_FRONTEND=noninteractive
HERE=$(cd "$(dirname "$0")" && pwd)
if dpkg-query -W -f='${Status}' request-tracker5 2>/dev/null | grep -q 'install ok installed'; then
  echo "request-tracker5 already installed"
else
debconf-set-selections <<PRESEED
request-tracker5 request-tracker5/rtname string rt.example.test
request-tracker5 request-tracker5/organization string example.test
request-tracker5 request-tracker5/correspondaddress string rt@example.test
request-tracker5 request-tracker5/commentaddress string rt-comment@example.test
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:3099
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/initial-root-password password $ROOTPW
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/db/basepath string /var/lib/dbconfig-common/sqlite3/request-tracker5
request-tracker5 request-tracker5/db/dbname string rtdb
rt5-db-sqlite rt5-db-sqlite/available boolean true
msmtp msmtp/apparmor boolean false
PRESEED
$APT update   # stale lists give 404s (security updates replace .debs)
# msmtp-mta satisfies 'default-mta | mail-transport-agent' without a daemon (exim4 would be pulled otherwise);
# RT is configured with $MailCommand='mbox' anyway, so nothing is ever mailed.
# w3m: RT's external HTML->text converter (silences a startup warning).
$APT install -y --no-install-recommends request-tracker5 rt5-db-sqlite rt5-standalone msmtp-mta w3m
# Gotcha: the postinst creates RT_SiteConfig.pm as 0600 root -> www-data warns "Permission denied".
chown root:www-data /etc/request-tracker5/RT_SiteConfig.pm && chmod 0640 /etc/request-tracker5/RT_SiteConfig.pm
fi
# Local overrides (WebPath/WebBaseURL, mbox mail, logging, SLA levels + business hours)
install -m 0640 -o root -g www-data "$HERE/99-sla-lens.pm" /etc/request-tracker5/RT_SiteConfig.d/99-sla-lens.pm
# Keep a copy of the empty DB for fast resets (./start.sh reset)
D=/var/lib/dbconfig-common/sqlite3/request-tracker5
[ -f $D/rtdb.pristine ] || cp -p $D/rtdb $D/rtdb.pristine
echo "installed; DB: $D/rtdb"
