import { useMemo, useState } from 'react';
import { actorTree, type ActorNode } from '../session/actorTree.js';
import type { SessionLog } from '../session/SessionLog.js';

interface Props {
  readonly log: SessionLog;
  readonly cursor: number;
  readonly version: number;
  readonly selected: string | null;
  readonly onSelect: (sessionId: string) => void;
}

/** View 1: engine → songs → stem loaders and seeks, with state, status and event count at the cursor. */
export function ActorTreeView({ log, cursor, version, selected, onSelect }: Props) {
  const [filter, setFilter] = useState('');
  const roots = useMemo(() => actorTree(log, cursor, filter), [log, cursor, filter, version]);
  return (
    <section className="tree" aria-label="Actor tree">
      <input className="filter" placeholder="filter actors" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter actors" />
      <ul role="tree">
        {roots.map((node) => (
          <TreeNode key={node.sessionId} node={node} depth={0} selected={selected} onSelect={onSelect} />
        ))}
      </ul>
      {roots.length === 0 && <p className="empty">{log.size === 0 ? 'No actors yet: connect to an engine or open a recording.' : 'No actor matches.'}</p>}
    </section>
  );
}

function TreeNode({ node, depth, selected, onSelect }: { node: ActorNode; depth: number; selected: string | null; onSelect: (id: string) => void }) {
  const [open, setOpen] = useState(true);
  return (
    <li role="treeitem" aria-selected={selected === node.sessionId} aria-expanded={node.children.length > 0 ? open : undefined}>
      <div
        className={`node${node.stopped ? ' stopped' : ''}${selected === node.sessionId ? ' selected' : ''}`}
        style={{ paddingLeft: 6 + depth * 14 }}
        data-actor={node.label}
        onClick={() => onSelect(node.sessionId)}
      >
        {node.children.length > 0 ? (
          <button className="twisty" onClick={(e) => (e.stopPropagation(), setOpen(!open))} aria-label={open ? 'collapse' : 'expand'}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty" />
        )}
        <span className="label" title={node.sessionId}>{node.label}</span>
        <span className="state">{node.stopped ? `${node.state} (${node.status})` : node.state}</span>
        <span className="count" title="events received">{node.eventCount}</span>
      </div>
      {open && node.children.length > 0 && (
        <ul role="group">
          {node.children.map((child) => (
            <TreeNode key={child.sessionId} node={child} depth={depth + 1} selected={selected} onSelect={onSelect} />
          ))}
        </ul>
      )}
    </li>
  );
}
