import type { ErrorLike } from '@apollo/client';
import { Alert } from 'antd';
import { useProblem } from '../graphql/useProblem';

/** A failed request, said plainly; announced to screen readers as it appears. */
export function ProblemAlert({ error, title }: { error: ErrorLike; title?: string }) {
  const describe = useProblem();
  const problem = describe(error);
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      data-error-code={problem.code}
      title={title ?? problem.message}
      description={title ? problem.message : undefined}
    />
  );
}
