import type { Taxonomy } from '../../../../bot-flows/taxonomy.js';
import type { IncidentRow } from '../../../db/repos/incidents.js';
import { namesOf } from '../../../db/repos/school-people.js';
import type { Db } from '../../../db/types.js';
import type { IncidentView } from '../cards/incident-card.js';
import { categoryName } from '../cards/format.js';

export async function incidentView(db: Db, taxonomy: Taxonomy, incident: IncidentRow): Promise<IncidentView> {
  const names = await namesOf(db, [incident.reporterId]);
  return {
    id: incident.id,
    code: incident.code,
    categoryName: categoryName(taxonomy, incident.category),
    location: incident.location,
    description: incident.description,
    reporterName: names.get(incident.reporterId) ?? '',
    reportedAt: incident.reportedAt,
    firstReportDue: incident.firstReportDue,
    firstReportAt: incident.firstReportAt,
    photoCount: incident.attachments.filter((attachment) => attachment.kind === 'image').length,
  };
}
