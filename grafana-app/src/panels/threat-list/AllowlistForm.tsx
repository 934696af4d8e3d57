import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Checkbox, Field, Input, Modal, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';

import type { AllowlistMatch, Threat } from '../../api/types';
import { testIds } from '../../components/testIds';

const EXPIRY_OPTIONS = [
  { label: '1 day', value: 1 },
  { label: '7 days', value: 7 },
  { label: '30 days', value: 30 },
  { label: 'Never', value: 0 },
];

type MatchField = keyof AllowlistMatch;

/** The fields an allowlist entry can match for a threat, with the threat's values. */
export function allowlistCandidates(threat: Threat): Array<{ field: MatchField; value: string | number }> {
  const candidates: Array<[MatchField, string | number | undefined]> = [
    ['srcIp', threat.srcIp],
    ['dstIp', threat.dataType === 'flow' ? threat.dstIp : undefined],
    ['dstPort', threat.dataType === 'flow' ? threat.dstPort : undefined],
    ['domain', threat.dataType === 'flow' ? undefined : threat.domain ?? threat.dnsQuery],
  ];
  return candidates.filter(([, value]) => value !== undefined && value !== '').map(([field, value]) => ({ field, value: value! }));
}

export interface AllowlistDraft {
  match: AllowlistMatch;
  reason: string;
  expiresAt?: string;
}

interface Props {
  threat: Threat;
  onSubmit: (draft: AllowlistDraft) => void;
  onDismiss: () => void;
  now?: () => number;
}

/** Allowlisting: pick the fields that must match, say why, and for how long. Matching events are hidden at once. */
export function AllowlistForm({ threat, onSubmit, onDismiss, now = Date.now }: Props) {
  const styles = useStyles2(getStyles);
  const candidates = allowlistCandidates(threat);
  const [selected, setSelected] = useState<Set<MatchField>>(new Set(candidates.slice(0, 1).map((c) => c.field)));
  const [reason, setReason] = useState('');
  const [expiryDays, setExpiryDays] = useState(30);

  const toggle = (field: MatchField) =>
    setSelected((previous) => {
      const next = new Set(previous);
      next.has(field) ? next.delete(field) : next.add(field);
      return next;
    });

  const submit = () => {
    const match = Object.fromEntries(candidates.filter((c) => selected.has(c.field)).map((c) => [c.field, c.value]));
    onSubmit({
      match,
      reason: reason.trim(),
      expiresAt: expiryDays > 0 ? new Date(now() + expiryDays * 86_400_000).toISOString() : undefined,
    });
  };

  return (
    <Modal title="Allowlist" isOpen onDismiss={onDismiss}>
      <div data-testid={testIds.allowlistForm.container}>
        <Field label="Match" description="Events matching every checked field are no longer scored as suspicious.">
          <Stack direction="column" gap={1}>
            {candidates.map((candidate) => (
              <Checkbox
                key={candidate.field}
                data-testid={testIds.allowlistForm.field(candidate.field)}
                value={selected.has(candidate.field)}
                onChange={() => toggle(candidate.field)}
                label={`${candidate.field} = ${candidate.value}`}
              />
            ))}
          </Stack>
        </Field>
        <Field label="Reason" required>
          <Input
            data-testid={testIds.allowlistForm.reason}
            value={reason}
            placeholder="Backup server talking to its offsite target"
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
        <Field label="Expires after">
          <div data-testid={testIds.allowlistForm.expiry}>
            <RadioButtonGroup options={EXPIRY_OPTIONS} value={expiryDays} onChange={setExpiryDays} />
          </div>
        </Field>
        <div className={styles.actions}>
          <Button variant="secondary" onClick={onDismiss}>
            Cancel
          </Button>
          <Button data-testid={testIds.allowlistForm.submit} disabled={selected.size === 0 || reason.trim() === ''} onClick={submit}>
            Add to allowlist
          </Button>
        </div>
      </div>
    </Modal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  actions: css({ display: 'flex', justifyContent: 'flex-end', gap: theme.spacing(1), marginTop: theme.spacing(2) }),
});
