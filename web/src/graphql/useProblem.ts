import type { ErrorLike } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n';
import { describeProblem, type Problem } from './errors';

/** `describeProblem` in the current language. */
export function useProblem(): (error: ErrorLike) => Problem {
  const { t } = useTranslation();
  const [language] = useLanguage();
  return (error) => describeProblem(error, t, language);
}
