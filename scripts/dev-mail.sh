#!/usr/bin/env bash
# Starts a local mail catcher (smtp4dev) for development and prints env assignments to eval:
#   eval "$(scripts/dev-mail.sh)"      ->  Smtp__Host=127.0.0.1  Smtp__Port=2525
#   scripts/dev-mail.sh --stop          stop the smtp4dev started by this script
# Mailbox (web UI and GET /api/messages): http://127.0.0.1:5025 . SMTP: 127.0.0.1:2525, no auth, no TLS.
# If Smtp__Host is already set, the existing settings are printed and nothing is started.
# smtp4dev is installed once as a local dotnet tool in .tools/; its log is .data/smtp4dev.log.
set -euo pipefail

log() { printf 'dev-mail: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
version=3.15.0
web_port="${PORTAL_MAIL_WEB_PORT:-5025}"
smtp_port="${PORTAL_MAIL_SMTP_PORT:-2525}"
tool="$repo/.tools/smtp4dev"
datadir="$repo/.data"
logfile="$datadir/smtp4dev.log"
pidfile="$datadir/smtp4dev.pid"

if [[ "${1:-}" == --stop ]]; then
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "stopping smtp4dev (pid $(cat "$pidfile"))"
    kill "$(cat "$pidfile")"
  fi
  rm -f "$pidfile"
  exit 0
fi

if [[ -n "${Smtp__Host:-}" ]]; then
  log "using Smtp__Host from the environment"
  printf 'Smtp__Host=%q\n' "$Smtp__Host"
  printf 'Smtp__Port=%q\n' "${Smtp__Port:-25}"
  exit 0
fi

listening() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
is_smtp4dev() { curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$web_port/api/messages" 2>/dev/null; }

if listening "$smtp_port"; then
  if is_smtp4dev; then
    log "smtp4dev already running (mailbox http://127.0.0.1:$web_port)"
  else
    log "warning: port $smtp_port is already in use by another program; assuming it accepts SMTP"
  fi
else
  if listening "$web_port"; then
    die "port $web_port (mailbox web UI) is in use by another program; set PORTAL_MAIL_WEB_PORT"
  fi
  mkdir -p "$datadir"
  if [[ ! -x "$tool" ]]; then
    log "installing smtp4dev $version into .tools/ (once)"
    dotnet tool install Rnwood.Smtp4dev --version "$version" --tool-path "$repo/.tools" >&2 \
      || die "dotnet tool install Rnwood.Smtp4dev failed"
  fi
  log "starting smtp4dev: SMTP 127.0.0.1:$smtp_port, mailbox http://127.0.0.1:$web_port (log $logfile)"
  cd "$datadir"
  # In-memory store (--db=), no IMAP/POP3 (their default ports 143/110 need root), detached from this shell.
  setsid "$tool" --urls="http://127.0.0.1:$web_port" --smtpport="$smtp_port" --bindaddress=127.0.0.1 \
    --db= --nousersettings --imapport= --pop3port= >>"$logfile" 2>&1 </dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 150); do
    listening "$smtp_port" && is_smtp4dev && break
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -n 20 "$logfile" >&2; die "smtp4dev exited (log: $logfile)"; }
    sleep 0.2
  done
  listening "$smtp_port" || { tail -n 20 "$logfile" >&2; die "smtp4dev did not open port $smtp_port in 30 s"; }
fi

printf 'Smtp__Host=127.0.0.1\n'
printf 'Smtp__Port=%s\n' "$smtp_port"
