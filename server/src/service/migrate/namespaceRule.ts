// `namespace { }` without a name: 2.4 namespaces are named list filters and need one (docs
// 2.4-section-naming.inc). The name is made from the prefix, or numbered.
import type { MigrationContext } from './context';
import { needsReview } from './report';

export const NAMESPACE_RULE = 'namespace';

export function applyNamespaces(ctx: MigrationContext): void {
  let count = 0;
  for (const placed of ctx.liveSections()) {
    const section = placed.node;
    if (section.type !== 'namespace' || section.name !== '') continue;
    count++;
    const prefix = section.children.find((child) => child.kind === 'setting' && child.key === 'prefix');
    const fromPrefix = prefix?.kind === 'setting' ? prefix.value.replace(/[^\w]+/g, '').toLowerCase() : '';
    const name = fromPrefix !== '' ? fromPrefix : `namespace${count}`;
    const end = section.typeRange.end;
    ctx.editsOf(placed.file).splice(end.line, end.character, end.character, ` ${name}`);
    ctx.named.add(section);
    needsReview(
      ctx,
      { file: placed.file, range: section.headerRange },
      NAMESPACE_RULE,
      `A namespace without a name was named ${name}: 2.4 requires a name.`,
      'Check that no other namespace uses this name and that userdb fields referring to it still match.',
    );
  }
}
