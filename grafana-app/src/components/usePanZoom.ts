import type React from 'react';
import { useCallback, useRef } from 'react';

/** Screen = scale * base + offset, where base is the canvas's own unzoomed coordinate space in CSS pixels. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

const ZOOM_STEP = 1.15;
const DRAG_THRESHOLD_PX = 3;

/**
 * Wheel zoom around the cursor and drag-to-pan for a canvas, shared by the network graph and the geo map. The view
 * lives in a ref so panning redraws the canvas without re-rendering React.
 */
export function usePanZoom(redraw: () => void) {
  const view = useRef<View>({ scale: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; moved: boolean } | undefined>(undefined);

  const local = useCallback((e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }, []);

  const toBase = useCallback((point: { x: number; y: number }) => {
    const { scale, x, y } = view.current;
    return { x: (point.x - x) / scale, y: (point.y - y) / scale };
  }, []);

  const zoomAt = useCallback(
    (at: { x: number; y: number }, factor: number) => {
      const v = view.current;
      view.current = { scale: v.scale * factor, x: at.x - (at.x - v.x) * factor, y: at.y - (at.y - v.y) * factor };
      redraw();
    },
    [redraw]
  );

  const onWheel = useCallback(
    (e: React.WheelEvent<HTMLCanvasElement>) => {
      const factor = e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
      zoomAt(local(e), factor);
    },
    [local, zoomAt]
  );

  const onMouseDown = useCallback((e: React.MouseEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
  }, []);

  /** Pans while the button is held; true when the move was a pan (so it is not also a hover). */
  const pan = useCallback(
    (e: React.MouseEvent<HTMLCanvasElement>): boolean => {
      if (!drag.current || e.buttons !== 1) {
        return false;
      }
      const dx = e.clientX - drag.current.x;
      const dy = e.clientY - drag.current.y;
      if (drag.current.moved || Math.abs(dx) + Math.abs(dy) > DRAG_THRESHOLD_PX) {
        drag.current = { x: e.clientX, y: e.clientY, moved: true };
        view.current = { ...view.current, x: view.current.x + dx, y: view.current.y + dy };
        redraw();
      }
      return true;
    },
    [redraw]
  );

  /** Ends a press; true when it was a click rather than the end of a pan. */
  const release = useCallback((): boolean => {
    const wasPan = drag.current?.moved ?? false;
    drag.current = undefined;
    return !wasPan;
  }, []);

  return { view, local, toBase, onWheel, zoomAt, onMouseDown, pan, release };
}
