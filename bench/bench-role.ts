// The real-world-shaped role of bench:runner (b), written beside the playbook: what an INDIGO
// role of the ansible-core 2.14 era does, run as an unprivileged user under {{ work }}: a meta
// dependency with parameters, defaults and vars, bare includes (static, with variables, and one
// templated), templates, loops, registered results, conditions, replace/lineinfile/blockinfile
// edits and handlers. 30+ task results per host.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES: Record<string, string> = {
  'role.yml': `- hosts: all
  gather_facts: false
  roles:
    - bench_app
`,
  'roles/bench_base/defaults/main.yml': 'base_dir: /tmp/unset\nbase_packages: [curl, git, jq]\n',
  'roles/bench_base/tasks/main.yml': `- name: base folder
  file: path={{ base_dir }} state=directory mode=0755
- name: base marker
  copy: content="base for {{ inventory_hostname }}\\n" dest={{ base_dir }}/base.txt
- name: package list
  lineinfile: path={{ base_dir }}/packages.txt line={{ item }} create=yes
  with_items: "{{ base_packages }}"
- name: uname
  command: uname -s
  register: base_uname
  changed_when: false
`,
  'roles/bench_app/meta/main.yml': `galaxy_info: { author: baton, description: bench role }
dependencies:
  - { role: bench_base, base_dir: "{{ work }}/{{ inventory_hostname }}" }
`,
  'roles/bench_app/defaults/main.yml': `app_dir: "{{ work }}/{{ inventory_hostname }}/app"
app_port: 8080
app_workers: []
app_features: [metrics, api, ui]
app_users:
  - { name: alice, uid: 2001 }
  - { name: bob, uid: 2002 }
app_flavor: "{{ 'large' if app_port | int > 8000 else 'small' }}"
`,
  'roles/bench_app/vars/main.yml': 'app_conf: app.conf\napp_log_level: info\n',
  'roles/bench_app/handlers/main.yml': `- name: reload app
  command: touch {{ app_dir }}/reloaded
- name: restart app
  shell: date +%s > {{ app_dir }}/restarted
  listen: app changed
`,
  'roles/bench_app/templates/app.conf.j2': `# {{ ansible_managed | default('managed') }}
port = {{ app_port }}
flavor = {{ app_flavor }}
{% if app_workers %}
workers = {{ app_workers | join(',') }}
{% else %}
workers = {{ inventory_hostname }}
{% endif %}
{% for f in app_features %}
feature.{{ f }} = on
{% endfor %}
log = {{ app_log_level }}
`,
  'roles/bench_app/templates/users.j2': `{% for u in app_users %}
{{ u.name }}:{{ u.uid }}
{% endfor %}
`,
  'roles/bench_app/tasks/main.yml': `- include: install.yml
- include: configure.yml conf_mode=0640
- include: users.yml
- include: "{{ 'checks' }}.yml"
`,
  'roles/bench_app/tasks/install.yml': `- name: app folders
  file: path={{ app_dir }}/{{ item }} state=directory
  with_items: [bin, etc, log, data]
- name: app binary
  copy:
    dest: "{{ app_dir }}/bin/app"
    mode: "0755"
    content: "#!/bin/sh\\necho app {{ app_port }}\\n"
- name: version file
  copy: content="1.0\\n" dest={{ app_dir }}/VERSION
- name: read version
  command: cat {{ app_dir }}/VERSION
  register: app_version
  changed_when: false
- name: remember version
  set_fact:
    app_installed_version: "{{ app_version.stdout }}"
- name: check the binary
  stat: path={{ app_dir }}/bin/app
  register: app_bin
- assert:
    that: [app_bin.stat.exists, "app_installed_version == '1.0'"]
`,
  'roles/bench_app/tasks/configure.yml': `- name: main config
  template: src=app.conf.j2 dest={{ app_dir }}/etc/{{ app_conf }} mode={{ conf_mode }}
  notify: reload app
- name: users file
  template: src=users.j2 dest={{ app_dir }}/etc/users
  notify: app changed
- name: defaults file
  copy: content="LEVEL=debug\\nPORT=1\\n" dest={{ app_dir }}/etc/defaults
- name: log level
  replace: path={{ app_dir }}/etc/defaults regexp='^LEVEL=.*$' replace='LEVEL={{ app_log_level }}'
- name: port
  lineinfile: path={{ app_dir }}/etc/defaults regexp='^PORT=' line='PORT={{ app_port }}'
- name: extra block
  blockinfile:
    path: "{{ app_dir }}/etc/defaults"
    block: |
      FEATURES={{ app_features | join(',') }}
      FLAVOR={{ app_flavor }}
- name: feature flags
  copy: content="{{ item }}\\n" dest={{ app_dir }}/etc/feature-{{ item }}
  loop: "{{ app_features }}"
- name: only for big flavors
  copy: content="big\\n" dest={{ app_dir }}/etc/big
  when: app_flavor == 'large'
- name: never for this flavor
  copy: content="small\\n" dest={{ app_dir }}/etc/small
  when: app_flavor == 'small'
`,
  'roles/bench_app/tasks/users.yml': `- name: user homes
  file: path={{ app_dir }}/data/{{ item.name }} state=directory
  loop: "{{ app_users }}"
- name: user profiles
  copy: content="uid={{ item.uid }}\\n" dest={{ app_dir }}/data/{{ item.name }}/profile
  loop: "{{ app_users }}"
- name: count users
  shell: ls {{ app_dir }}/data | wc -l
  register: user_count
  changed_when: false
- debug: msg="{{ user_count.stdout }} users"
`,
  'roles/bench_app/tasks/checks.yml': `- name: run the binary
  command: "{{ app_dir }}/bin/app"
  register: app_out
  changed_when: false
- assert:
    that: "'app ' ~ app_port in app_out.stdout"
- name: summary
  copy: content="{{ app_installed_version }} {{ app_flavor }} {{ base_uname.stdout }}\\n" dest={{ app_dir }}/summary
- name: log start
  lineinfile: path={{ app_dir }}/log/app.log line="started on {{ app_port }}" create=yes
- name: check config
  stat: path={{ app_dir }}/etc/{{ app_conf }}
  register: conf
- name: config mode
  assert:
    that: conf.stat.mode == '0640'
`,
};

export function writeBenchRole(dir: string): void {
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
