# Records, per host and in order, each task's status (ok/changed/failed/skipped/unreachable,
# plus ignored/rescued flags) and the final stats, as JSON in $BATON_RECORD. The compat test
# compares this with libs/runner's event stream for the same playbook.
import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'baton_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.events = []

    def _add(self, result, status, ignored=False):
        res = result._result
        if status == 'ok' and res.get('changed'):
            status = 'changed'
        self.events.append({
            'host': result._host.get_name(),
            'task': result._task.get_name(),
            'action': result._task.action,
            'status': status,
            'ignored': ignored,
        })

    def v2_runner_on_ok(self, result):
        self._add(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._add(result, 'failed', ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._add(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._add(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        recap = {}
        for h in sorted(stats.processed.keys()):
            s = stats.summarize(h)
            recap[h] = {k: s.get(k, 0) for k in ('ok', 'changed', 'unreachable', 'failures', 'skipped', 'rescued', 'ignored')}
            recap[h]['failed'] = recap[h].pop('failures')
        with open(os.environ['BATON_RECORD'], 'w') as f:
            json.dump({'events': self.events, 'recap': recap}, f, indent=1)
