// The spellings a secret takes on its way into a log line (issue 8, finding 8). Matching only the
// value as given missed a password with `"` or `\` once a playbook printed it as JSON, a URL
// carried it percent-encoded, or a header carried it in base64. Each form here is a string the
// redactor hides wherever it appears.

/** Base64 forms shorter than this are left alone: they would match ordinary text by chance. */
const MIN_BASE64 = 6;

/** Every form of `secret` worth hiding: as written, escaped, encoded; longest first. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = jsonBody(secret);
  forms.add(json);
  forms.add(jsonBody(json)); // JSON inside a JSON string (a serialised payload in a message)
  forms.add(asciiJsonBody(secret)); // Python's json.dumps (ensure_ascii) and Ansible's output
  forms.add(pythonRepr(secret));
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+')); // form encoding
  forms.add(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(encodeURI(secret));
  for (const b of base64Cores(secret)) {
    forms.add(b);
    forms.add(b.replace(/\+/g, '-').replace(/\//g, '_')); // base64url
  }
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

function jsonBody(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function asciiJsonBody(s: string): string {
  return jsonBody(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The inside of Python's repr() of a str (single quotes unless the text holds one and no `"`). */
function pythonRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  return s
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(quote, 'g'), `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/**
 * The characters of base64 that depend on the secret alone, for each of the three alignments it
 * can have inside a longer encoded text (`user:password` in a Basic header starts mid-group).
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // Character i holds bits [6i, 6i + 6); the secret holds bits [8 * offset, 8 * (offset + n)).
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length)) / 6); // exclusive
    const core = encoded.slice(first, last);
    if (core.length >= MIN_BASE64) cores.push(core);
  }
  return cores;
}
