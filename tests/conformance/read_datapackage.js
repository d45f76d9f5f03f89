// Read a data package with datapackage-js (the Frictionless JavaScript library):
// node read_datapackage.js DESCRIPTOR_OR_ZIP  ->  {"table": [{...row as text...}]} on stdout.
// Every resource is read twice: cast to its schema types (a cast error fails),
// then as text, which is what is printed.
const {Package} = require('datapackage');
(async () => {
  const pkg = await Package.load(process.argv[2]);
  if (!pkg.valid) {
    console.error('invalid descriptor: ' + pkg.errors.map(String).join('; '));
    process.exit(1);
  }
  const out = {};
  for (const resource of pkg.resources) {
    await resource.read({keyed: true});
    out[resource.name] = await resource.read({keyed: true, cast: false});
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  console.error(String(e));
  process.exit(2);
});
