import type { Area } from './types';
import { DeskPermissions } from '../routes/desk/permissions';
import { dashboardEndpoints } from '../routes/desk/dashboard';
import { reportEndpoints } from '../routes/desk/reports';
import { refreshFigures } from '../services/desk/figures-store';

/**
 * The chair's desk (工作台): to-dos and key figures for staff and the chair, and the report for
 * management. It only reads: each area contributes through a DeskSource (services/desk/sources/), which
 * calls that area's own services, so the desk's figures are the areas' figures.
 */
export const deskArea: Area = {
  id: 'desk',
  i18n: ['desk'],
  permissions: DeskPermissions,
  endpoints: [...dashboardEndpoints, ...reportEndpoints],
  jobs: { 'desk-figures': (ctx) => refreshFigures(ctx) },
};
