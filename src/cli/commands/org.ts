import { addGrant, ensurePersonForAccount } from '../../db/repos/identity.js';
import { bindChat, findClass, findSchoolByCode } from '../../db/repos/org.js';
import { CHAT_KINDS, ROLES } from '../../db/schema.js';
import { PLATFORMS } from '../../model/platform.js';
import { oneOf, parseFlags } from '../args.js';
import { type Command, UsageError } from '../context.js';

export const chatBindCommand: Command = {
  path: ['chat', 'bind'],
  summary: '把平台群聊绑定到学校/班级',
  usage:
    'xiaoan chat bind --platform <p> --chat <群ID> --school <学校代码> --kind staff|class_parents|leaders [--class <班级>] [--tenant <应用ID>] [--title <名称>] [--listen-all]',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(
      args,
      {
        platform: { type: 'string' },
        chat: { type: 'string' },
        school: { type: 'string' },
        kind: { type: 'string' },
        class: { type: 'string' },
        tenant: { type: 'string' },
        title: { type: 'string' },
        'listen-all': { type: 'boolean' },
      },
      ['platform', 'chat', 'school', 'kind'],
    );
    const platform = oneOf('platform', values.platform!, PLATFORMS);
    const kind = oneOf('kind', values.kind!, CHAT_KINDS);
    if (kind === 'class_parents' && !values.class)
      throw new UsageError('家长群（class_parents）必须用 --class 指定班级');
    const { db } = await ctx.database();
    const school = await findSchoolByCode(db, values.school!);
    if (!school) throw new UsageError(`找不到学校代码「${values.school}」`);
    const klass = values.class ? await findClass(db, school.id, values.class) : null;
    if (values.class && !klass) throw new UsageError(`学校「${school.name}」没有班级「${values.class}」`);
    await bindChat(db, {
      platform,
      tenant: values.tenant ?? '',
      chatId: values.chat!,
      schoolId: school.id,
      classId: klass?.id ?? null,
      kind,
      title: values.title ?? null,
      ...(values['listen-all'] ? { listenAll: true } : {}),
    });
    ctx.io.out(`已绑定：${platform} 群 ${values.chat} → ${school.name}${klass ? ` ${klass.name}` : ''}（${kind}）`);
    return 0;
  },
};

export const personGrantCommand: Command = {
  path: ['person', 'grant'],
  summary: '给平台用户授予角色',
  usage:
    'xiaoan person grant --platform <p> --user <用户ID> --school <学校代码> --role teacher|class_teacher|safety_officer|principal|bureau|parent [--class <班级>] [--name <姓名>] [--tenant <应用ID>]',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(
      args,
      {
        platform: { type: 'string' },
        user: { type: 'string' },
        school: { type: 'string' },
        role: { type: 'string' },
        class: { type: 'string' },
        name: { type: 'string' },
        tenant: { type: 'string' },
      },
      ['platform', 'user', 'school', 'role'],
    );
    const platform = oneOf('platform', values.platform!, PLATFORMS);
    const role = oneOf('role', values.role!, ROLES);
    if (role === 'class_teacher' && !values.class)
      throw new UsageError('班主任（class_teacher）必须用 --class 指定班级');
    const { db } = await ctx.database();
    const school = await findSchoolByCode(db, values.school!);
    if (!school) throw new UsageError(`找不到学校代码「${values.school}」`);
    const klass = values.class ? await findClass(db, school.id, values.class) : null;
    if (values.class && !klass) throw new UsageError(`学校「${school.name}」没有班级「${values.class}」`);
    await db.transaction(async (tx) => {
      const { personId } = await ensurePersonForAccount(tx, {
        platform,
        tenant: values.tenant ?? '',
        userId: values.user!,
        name: values.name ?? values.user!,
      });
      await addGrant(tx, {
        personId,
        role,
        schoolId: school.id,
        districtId: school.districtId,
        classId: klass?.id ?? null,
      });
    });
    ctx.io.out(`已授权：${values.name ?? values.user} 在 ${school.name}${klass ? ` ${klass.name}` : ''} 担任 ${role}`);
    return 0;
  },
};
