// Module name → implementation. names.ts lists the same names for the load-time check.
import { commandModule, rawModule, scriptModule, shellModule } from './command.module';
import { assertModule, debugModule, failModule, includeVarsModule, pauseModule, pingModule, setFactModule, setupModule } from './control.module';
import { copyModule, templateModule } from './copy.module';
import { fileModule, statModule } from './file.module';
import { blockinfileModule, lineinfileModule } from './lineinfile.module';
import { aptModule, dnfModule, packageModule } from './package.module';
import { serviceModule, systemdModule } from './service.module';
import { groupModule, userModule } from './user.module';
import { getUrlModule, unarchiveModule, uriModule, waitForModule } from './net.module';
import { authorizedKeyModule } from './authorized-key.module';
import { hostnameModule } from './hostname.module';
import { mountModule } from './mount.module';
import { replaceModule } from './replace.module';
import type { ModuleFn } from './types';

export const MODULES: Record<string, ModuleFn> = {
  command: commandModule,
  shell: shellModule,
  raw: rawModule,
  script: scriptModule,
  copy: copyModule,
  template: templateModule,
  file: fileModule,
  stat: statModule,
  lineinfile: lineinfileModule,
  blockinfile: blockinfileModule,
  debug: debugModule,
  set_fact: setFactModule,
  assert: assertModule,
  fail: failModule,
  pause: pauseModule,
  ping: pingModule,
  setup: setupModule,
  include_vars: includeVarsModule,
  package: packageModule,
  apt: aptModule,
  yum: dnfModule,
  dnf: dnfModule,
  service: serviceModule,
  systemd: systemdModule,
  user: userModule,
  group: groupModule,
  get_url: getUrlModule,
  unarchive: unarchiveModule,
  uri: uriModule,
  wait_for: waitForModule,
  replace: replaceModule,
  hostname: hostnameModule,
  mount: mountModule,
  authorized_key: authorizedKeyModule,
};

/** Modules that never touch the host: they run without a connection. */
export const LOCAL_MODULES = new Set(['debug', 'set_fact', 'assert', 'fail', 'pause', 'include_vars', 'meta']);

/** Modules that support check mode by themselves; the others are skipped under --check. */
export const CHECK_MODE_MODULES = new Set(Object.keys(MODULES));
