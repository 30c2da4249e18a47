# Local overrides for sla-lens's test RT (scripts/rt/install.sh installs it as /etc/request-tracker5/RT_SiteConfig.d/99-sla-lens.pm)
# (files in RT_SiteConfig.d are read in lexical order; later Set() wins).
Set($WebPath, "");                          # NOT "/" (RT logs an error for "/")
Set($WebBaseURL, "http://127.0.0.1:3099");  # scheme://host:port, no trailing slash; used for REST2 _url
Set($WebDomain, "127.0.0.1");
Set($WebPort, 3099);
Set(@ReferrerWhitelist, qw(127.0.0.1:3099 localhost:3099));
Set($Timezone, "UTC");                      # RT display tz AND the SLA tz (RT::SLA sets $ENV{TZ} to this)
Set($MailCommand, "mbox");                  # never send mail; RT appends to /var/lib/request-tracker5/<starttime>.mbox
Set($LogToSyslog, undef);                   # no syslog daemon here
Set($LogToSTDERR, "warning");               # -> rt-server stderr (server.log)
Set($BcryptCost, 4);                        # fast password/token hashing for tests (default 12: ~0.3 s/REST request)
Set($WebFlushDbCacheEveryRequest, 1);       # default; keeps the server in sync with seed.pl writes

# --- SLA (RT::SLA; scrips "Set starts/due date if needed according to SLA" ship enabled) ---
Set(%ServiceAgreements, (
    Default      => 'normal',                       # applied at ticket create when queue has no default
    QueueDefault => { 'Marketing IT support' => 'normal', 'General IT' => 'normal' },
    Levels => {
        # "Response 24h": Due = (first unanswered requestor msg | Create) + 24h real; unset after staff reply
        'normal'   => { StartImmediately => 1, Response => { RealMinutes => 24*60 } },
        # "Critical 4h"
        'critical' => { StartImmediately => 1, Response => { RealMinutes => 4*60 } },
        # Response+Resolve combined: Due = min(response deadline, Created+72h), never unset
        'standard' => { StartImmediately => 1, Response => { RealMinutes => 24*60 },
                        Resolve => { RealMinutes => 72*60 } },
        # business-hours variant: 4 business hours, Mon-Fri 09:00-17:00 UTC, with holidays
        'business' => { Response => { BusinessMinutes => 4*60 }, BusinessHours => 'Default' },
    },
));
Set(%ServiceBusinessHours, (
    'Default' => {
        0 => { Name => 'Sunday',    Start => undef,   End => undef },
        1 => { Name => 'Monday',    Start => '09:00', End => '17:00' },
        2 => { Name => 'Tuesday',   Start => '09:00', End => '17:00' },
        3 => { Name => 'Wednesday', Start => '09:00', End => '17:00' },
        4 => { Name => 'Thursday',  Start => '09:00', End => '17:00' },
        5 => { Name => 'Friday',    Start => '09:00', End => '17:00' },
        6 => { Name => 'Saturday',  Start => undef,   End => undef },
        holidays => [qw(01-01 12-24 12-25 12-26 12-31)],   # MM-DD every year, or YYYY-MM-DD
    },
));
1;
