import { action } from '../../areas/types';
import { NotFound } from '../../errors';
import { loadPoster, readBody, savePoster } from '../../services/activities/poster';
import { activityForEmployee } from '../../services/activities/listing';
import { AP } from './permissions';
import { idParams } from './schemas';

type Id = { id: string };

/** 海报: staff upload the image as the request body; it is served only to those who may see the activity. */
export const posterEndpoints = [
  action<Id>({
    name: 'activities.posterUpload',
    method: 'put',
    api: '/api/activities/:id/poster',
    access: AP.activitiesManage,
    params: idParams,
    async run({ ctx, actor, params, req }) {
      return savePoster(ctx, actor, Number(params.id), await readBody(req));
    },
  }),

  action<Id>({
    name: 'activities.poster',
    method: 'get',
    api: '/api/activities/:id/poster',
    access: AP.activitiesJoin,
    params: idParams,
    stream: true,
    async run({ ctx, user, params, res }) {
      const id = Number(params.id);
      // Staff see every poster; others only those of activities they may see (drafts and other audiences are 404).
      if (!user.permissions.has(AP.activitiesManage)) await activityForEmployee(ctx, id, user.id);
      const poster = await loadPoster(ctx, id);
      if (!poster) throw new NotFound('This activity has no poster');
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.type(poster.mime).send(poster.bytes);
    },
  }),
];
