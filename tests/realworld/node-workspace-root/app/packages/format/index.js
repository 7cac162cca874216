exports.title = (s) => s.replace(/\b\w/g, (c) => c.toUpperCase());
