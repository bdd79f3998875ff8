// Runs the JavaScript of an n8n Code node ("Run Once for All Items") the way
// n8n does: the body of an async function called with $input, require and
// this.helpers. Reads {code, items, helpers} as JSON on stdin and writes the
// items returned as JSON on stdout; an error thrown by the code exits with 2.
const fs = require('fs');

const request = JSON.parse(fs.readFileSync(0, 'utf8'));
const items = request.items;
const $input = { first: () => items[0], last: () => items[items.length - 1], all: () => items };
const context = {};
if (request.helpers) {
  context.helpers = {
    getBinaryDataBuffer: async (index, name) => Buffer.from(items[index].binary[name].data, 'base64'),
  };
}
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const body = new AsyncFunction('$input', 'require', request.code);
body.call(context, $input, require).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error) => {
    process.stderr.write(String(error && error.message));
    process.exit(2);
  },
);
