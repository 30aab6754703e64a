// The stdout callback plugin given to ansible-playbook: one JSON line per event, in the shape of
// @lib/runner's RunnerEvent, so both executors feed the same deployment log, events, recap and
// operation outputs. Our own code, written into each run's work folder (no asset to ship).
export const CALLBACK_NAME = 'baton_events';

export const CALLBACK_SOURCE = String.raw`
import json
import sys
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: baton_events
    type: stdout
    short_description: one JSON line per event, for baton
    description: play_start, task_start, task_end and recap events as baton's runner emits them
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'baton_events'

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._play = ''
        self._handler = False
        self._started = {}

    def _emit(self, event):
        sys.stdout.write(json.dumps(event, default=str) + '\n')
        sys.stdout.flush()

    def _base(self, task, host):
        return {'play': self._play, 'task': task.get_name().strip(), 'host': host, 'module': task.action, 'handler': self._handler}

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name().strip()
        self._handler = False
        self._emit({'type': 'play_start', 'play': self._play, 'hosts': []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._handler = False

    def v2_playbook_on_handler_task_start(self, task):
        self._handler = True

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()
        event = self._base(task, host.get_name())
        event.update({'type': 'task_start', 'at': int(time.time() * 1000)})
        self._emit(event)

    def _end(self, result, status, ignored=False):
        task = result._task
        host = result._host.get_name()
        r = dict(result._result)
        if task.action in ('setup', 'gather_facts', 'ansible.builtin.setup', 'ansible.builtin.gather_facts'):
            r.pop('ansible_facts', None)
        changed = bool(r.get('changed'))
        if status == 'ok' and changed:
            status = 'changed'
        started = self._started.pop((host, task._uuid), time.time())
        event = self._base(task, host)
        event.update({'type': 'task_end', 'status': status, 'changed': changed, 'ignored': ignored, 'rescued': False,
                      'durationMs': int((time.time() - started) * 1000), 'result': r})
        for key in ('stdout', 'stderr', 'msg'):
            if isinstance(r.get(key), str):
                event[key] = r[key]
        self._emit(event)

    def v2_runner_on_ok(self, result):
        self._end(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end(result, 'failed', ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._end(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._end(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        recap = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            recap[host] = {'ok': s['ok'], 'changed': s['changed'], 'unreachable': s['unreachable'], 'failed': s['failures'],
                           'skipped': s['skipped'], 'rescued': s['rescued'], 'ignored': s['ignored']}
        self._emit({'type': 'recap', 'recap': recap})
`;
