#!/bin/sh
# The README's run command, after the build: initialise var/proxima.db if
# needed, load the demo data once, and serve on 127.0.0.1:8080.
set -eu
bin=${1:-build/proxima}
db=${PROXIMA_DB:-var/proxima.db}
listen=${PROXIMA_LISTEN:-127.0.0.1:8080}
"$bin" init --db "$db"
"$bin" demo --db "$db"
echo "Proxima: ouvrez http://$listen/ dans un navigateur (Ctrl-C pour arrêter)."
echo "Proxima: open http://$listen/ in a browser (Ctrl-C to stop)."
exec "$bin" serve --db "$db" --listen "$listen"
