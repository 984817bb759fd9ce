"""Runs a command and prints its last JSON line with the process's peak resident memory added ("hwm_mb": the
kernel's high-water mark VmHWM, polled every 0.1 s until the process ends, so at most the last 0.1 s is missed).
Usage: python3 bench/rss_peak.py LABEL COMMAND...   (LABEL goes into the line as "allocator")"""
import json, subprocess, sys, time

label, cmd = sys.argv[1], sys.argv[2:]
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
hwm = 0
while p.poll() is None:
    try:
        with open('/proc/%d/status' % p.pid) as f:
            for line in f:
                if line.startswith('VmHWM'):
                    hwm = max(hwm, int(line.split()[1]))
    except (FileNotFoundError, ProcessLookupError):
        break
    time.sleep(0.1)
lines = [l for l in p.stdout.read().splitlines() if l.startswith('{')]
row = json.loads(lines[-1]) if lines else {'error': 'no JSON line from ' + ' '.join(cmd[:3])}
row.update(allocator=label, hwm_mb=round(hwm / 1024))
print(json.dumps(row))
