import { useEffect, useState } from 'react';
import type { SessionLog } from '../session/SessionLog.js';

/**
 * The log's version, updated at most once per animation frame: a live engine sends batches every
 * ~50 ms and a replay appends 10⁵ messages at once; views recompute per frame, not per message.
 */
export function useSessionVersion(log: SessionLog): number {
  const [version, setVersion] = useState(log.version);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = log.subscribe(() => {
      if (frame === 0)
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion(log.version);
        });
    });
    setVersion(log.version);
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [log]);
  return version;
}
