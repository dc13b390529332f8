// The rule language for CodeMirror: keywords, types, strings, numbers (with % and dates),
// comments from # to the end of the line.
'use strict';
CodeMirror.defineMode('pol', () => {
  const keywords = new Set(['policy', 'extends', 'issuer', 'effective', 'number', 'enum', 'input', 'param', 'let', 'output',
    'override', 'constraint', 'note', 'test', 'given', 'expect', 'at', 'set', 'clause', 'reading', 'default', 'min', 'max',
    'from', 'placeholder', 'source', 'match', 'when', 'then', 'otherwise', 'and', 'or', 'not', 'in', 'applies', 'error',
    'round', 'round_up', 'round_down', 'as_of']);
  const types = new Set(['bool', 'money', 'rate', 'years', 'months', 'days', 'int', 'date']);
  const atoms = new Set(['true', 'false']);
  return {
    token(stream) {
      if (stream.eatSpace()) return null;
      if (stream.peek() === '#') {
        stream.skipToEnd();
        return 'comment';
      }
      if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
      if (stream.match(/^\d{4}-\d{2}-\d{2}/)) return 'number';
      if (stream.match(/^\d+(?:\.\d+)?%?(?:\/\d+)?/)) return 'number';
      if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
        const w = stream.current();
        if (keywords.has(w)) return 'keyword';
        if (types.has(w)) return 'type';
        if (atoms.has(w)) return 'atom';
        return /^[A-Z]/.test(w) ? 'type' : 'variable';
      }
      stream.next();
      return null;
    },
    lineComment: '#',
  };
});
