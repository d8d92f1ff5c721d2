// Saved reply templates: a name and a text with placeholders ({autore}, {brand}, {link}) the
// composer fills. Managers and strategists keep them; everyone who reads responses reads them.
import { ApiError } from '../../shared/contract';
import type { Actor, Role } from '../../shared/auth';
import type { ResponseTemplate, ResponseTemplateSave } from '../../shared/responses';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { ResponseComposerRepo, TemplateRow } from '../store/response-composer-repo';

export class ResponseTemplates {
  constructor(
    private readonly repo: ResponseComposerRepo,
    private readonly events: EventBus,
    private readonly now: () => number,
    private readonly authors: readonly Role[],
  ) {}

  list(): ResponseTemplate[] {
    return this.repo.templates().map(view);
  }

  save(actor: Actor, input: ResponseTemplateSave): ResponseTemplate[] {
    this.mayWrite(actor);
    const by = actor.displayName || actor.username;
    const clash = this.repo.templateIdByName(input.name);
    if (clash !== null && clash !== input.id) throw new ApiError('responses.templateNameTaken', { name: input.name });
    let id = input.id;
    if (id === undefined) {
      id = this.repo.createTemplate(input.name, input.text, by, this.now());
    } else {
      const before = this.repo.template(id);
      if (!before) throw new ApiError('responses.templateNotFound', { id });
      this.repo.updateTemplate(id, input.name, input.text, by, this.now());
    }
    noteAudit({ detail: { name: input.name, text: input.text } });
    this.events.emit('responses.templatesChanged', {});
    return this.list();
  }

  remove(actor: Actor, id: number): ResponseTemplate[] {
    this.mayWrite(actor);
    const before = this.repo.template(id);
    if (!before || !this.repo.deleteTemplate(id)) throw new ApiError('responses.templateNotFound', { id });
    noteAudit({ detail: { name: before.name } });
    this.events.emit('responses.templatesChanged', {});
    return this.list();
  }

  private mayWrite(actor: Actor): void {
    if (!actor.roles.some((r) => this.authors.includes(r))) throw new ApiError('responses.templateAuthorOnly');
  }
}

function view(r: TemplateRow): ResponseTemplate {
  return { id: r.id, name: r.name, text: r.text, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() };
}
