import React from 'react';

/** Stands in for react-inlinesvg, whose SVG fetches jsdom cannot make. */
export default function InlineSvgStub(props: { title?: string; className?: string }) {
  return <svg className={props.className} aria-label={props.title} />;
}
