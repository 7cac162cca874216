const { title } = require('@acme/format');

exports.greet = (who) => `Hello, ${title(who)}!`;
