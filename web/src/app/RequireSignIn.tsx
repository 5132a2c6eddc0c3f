import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { isStaff, useAuth } from '../auth';

/** Sends a visitor to sign in first, and back here after. */
export function RequireSignIn({ children, staff = false }: { children: ReactNode; staff?: boolean }) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (staff && !isStaff(session.viewer)) return <Result status="403" title={t('desk.staffOnly')} />;
  return <>{children}</>;
}
