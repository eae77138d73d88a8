import type { TRole } from '@kefu/shared';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { signOutState, useMe } from '../api/auth.ts';
import { FullPageError, FullPageLoader } from '../components/full-page.tsx';
import { ForbiddenPage } from '../pages/forbidden-page.tsx';

export type FromState = { from?: string } | null;

/** Signed-in routes: sign-in when nobody is, 2FA enrolment when the workspace demands it. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageLoader />;
  if (me.isError) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const from = `${location.pathname}${location.search}`;
    const state: FromState = signOutState.deliberate ? null : { from };
    return <Navigate to="/sign-in" replace state={state} />;
  }
  if (me.data.twoFactorEnrollmentRequired) return <Navigate to="/enrol-2fa" replace />;
  return <Outlet />;
}

export function RequireRole({
  roles,
  children,
}: {
  roles: readonly TRole[];
  children?: ReactNode;
}) {
  const me = useMe();
  const role = me.data?.agent.role;
  if (!role || !roles.includes(role)) return <ForbiddenPage />;
  return children ?? <Outlet />;
}

export function canAdminister(role: TRole): boolean {
  return role === 'admin' || role === 'supervisor';
}
