// npm ci's postinstall: the Bare runtime package of this machine ships its
// binary without the run bit; set it. Which package that is depends on the
// platform (bare-runtime-linux-x64, bare-runtime-linux-arm64, ...): npm
// installs only the one whose os and cpu match, so this looks for it rather
// than naming one. A platform whose runtime the lock does not hold is told
// so, and the install still succeeds (the Bare tests then say the peer is
// missing). npm ci --cpu and --os (npm_config_cpu, npm_config_os) choose
// another machine's packages, and so the runtime looked for.
'use strict'
const fs = require('fs')
const path = require('path')

const platform = process.env.npm_config_os || process.platform
const arch = process.env.npm_config_cpu || process.arch
const name = `bare-runtime-${platform}-${arch}`
const bin = path.join(__dirname, 'node_modules', name, 'bin', platform === 'win32' ? 'bare.exe' : 'bare')

if (fs.existsSync(bin)) {
  fs.chmodSync(bin, 0o755)
} else {
  console.warn(`postinstall: ${name} is not installed (the lock file holds no Bare runtime for ${platform}-${arch}); the tests that run Bare will report it missing`)
}
