"""Last resort of bench/gpu/run.sh's JNI build: when DJL's JNI sources fail to compile against the machine's
libtorch (an API that changed between libtorch versions), replace the body of every top-level function that
the compiler's errors point into with a stub that raises a Java EngineException ("... did not compile against
this libtorch"), so that the build finishes and every other JNI function works. JNI resolves native methods
lazily, so a stub only matters if ProxyNAS calls it; the list printed here is what to turn into a real patch
in bench/gpu/jni-patches/.

Usage: python3 stub_failing.py BUILD_LOG SOURCE_DIR   (prints one line per stubbed function; exit 1 if none)
"""
import os, re, sys

log, src = sys.argv[1], sys.argv[2]
where = re.compile(r'([^\s:]*?([A-Za-z0-9_]+\.cc)):(\d+):(?:\d+:)? (?:error|required from|note: +required from)')
targets = {}
for line in open(log, errors='replace'):
    for m in where.finditer(line):
        path = os.path.join(src, m.group(2))
        if os.path.exists(path):
            targets.setdefault(path, set()).add(int(m.group(3)))


def top_level_bodies(text):
    """(open, close) offsets of every brace block at depth 0, skipping comments and literals."""
    i, depth, start, out, n = 0, 0, None, [], len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            i = text.find('\n', i)
            i = n if i < 0 else i
            continue
        if text.startswith('/*', i):
            i = text.find('*/', i) + 2
            continue
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if c == '#' and (i == 0 or text[i - 1] == '\n'):  # preprocessor line (with continuations)
            while i < n and text[i] != '\n':
                i += 2 if text.startswith('\\\n', i) else 1
            continue
        if c == '{':
            if depth == 0:
                start = i
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                out.append((start, i))
        i += 1
    return out


stubbed = []
for path, lines in targets.items():
    text = open(path).read()
    offsets = [0]
    for l in text.splitlines(True):
        offsets.append(offsets[-1] + len(l))
    edits = []
    for start, end in top_level_bodies(text):
        first = text.count('\n', 0, start) + 1
        last = text.count('\n', 0, end) + 1
        if not any(first <= l <= last for l in lines):
            continue
        head = text[max(0, text.rfind(';', 0, start), text.rfind('}', 0, start)) + 1:start]
        name = re.findall(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(', head)
        if not name or re.search(r'\b(struct|class|namespace|enum)\b', head):
            continue  # not a function: nothing safe to stub
        name = name[0] if 'JNICALL' not in head else re.search(r'JNICALL\s+(\w+)', head).group(1)
        message = 'DJL JNI: %s did not compile against this libtorch (bench/gpu/stub_failing.py)' % name
        jni = re.search(r'JNIEXPORT\s+(\w+)\s+JNICALL', head)
        if jni:
            body = '{\n  env->ThrowNew(ENGINE_EXCEPTION_CLASS, "%s");\n  return %s();\n}' % (message, jni.group(1))
        else:
            body = '{\n  throw std::runtime_error("%s");\n}' % message
        edits.append((start, end, body))
        stubbed.append('%s: %s' % (os.path.basename(path), name))
    for start, end, body in sorted(edits, reverse=True):
        text = text[:start] + body + text[end + 1:]
    if edits:
        if '#include <stdexcept>' not in text:
            text = '#include <stdexcept>\n' + text
        open(path, 'w').write(text)
print('\n'.join(stubbed))
sys.exit(0 if stubbed else 1)
