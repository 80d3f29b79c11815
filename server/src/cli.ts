// CLI entry point (dist/cli.js). Filled in by the CLI layer.
process.stderr.write('exim-cyrus: not built yet\n');
process.exit(2);
