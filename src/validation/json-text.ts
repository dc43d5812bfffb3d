/**
 * JSON text checks that JSON.parse cannot make (FHIR R4 §2.6.2: "a property SHALL NOT appear more than once"): a
 * scan for duplicate property names within one object. Returns the duplicated names with their JSON pointer-like
 * location, in order; empty when there are none. Assumes the text parsed successfully.
 */
export function duplicateKeys(text: string): string[] {
  const out: string[] = [];
  const stack: { keys: Set<string> | null; path: string; index: number }[] = [];
  let i = 0;
  let pendingKey: string | undefined;
  const readString = (): string => {
    let s = '';
    i++; // opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') {
        s += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '"') break;
      s += c;
      i++;
    }
    i++; // closing quote
    return s;
  };
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.keys ? `${top.path}.${pendingKey ?? ''}` : `${top.path}[${top.index}]`;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const s = readString();
      const top = stack[stack.length - 1];
      // A string in an object followed by ':' is a property name.
      let j = i;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (top?.keys && text[j] === ':') {
        if (top.keys.has(s)) out.push(`${top.path ? top.path + '.' : ''}${s}`);
        top.keys.add(s);
        pendingKey = s;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      const path = childPath();
      stack.push({ keys: c === '{' ? new Set() : null, path: path.replace(/^\./, ''), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && !top.keys) top.index++;
    }
    i++;
  }
  return out;
}
