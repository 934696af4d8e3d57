import { Button, useStyles2 } from '@grafana/ui';
import React, { type ReactNode } from 'react';

import { getCanvasPanelStyles } from './canvasPanel';

interface Props {
  testId: string;
  onInvestigate?: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** The card a click on a graph node or a map point opens: what it is, and the way into an investigation. */
export function DetailsCard({ testId, onInvestigate, onClose, children }: Props) {
  const styles = useStyles2(getCanvasPanelStyles);
  return (
    <div className={styles.card} data-testid={testId}>
      {children}
      <div className={styles.cardActions}>
        {onInvestigate && (
          <Button size="sm" icon="search" onClick={onInvestigate}>
            Investigate
          </Button>
        )}
        <Button size="sm" variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </div>
  );
}
