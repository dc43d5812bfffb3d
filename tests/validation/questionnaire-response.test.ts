import { createValidator } from '../../src/validation/index.js';
import { errors, text } from './helpers.js';

const Q = 'http://example.org/fhir/Questionnaire/suivi';
const questionnaire = {
  resourceType: 'Questionnaire',
  url: Q,
  status: 'active',
  item: [
    { linkId: 'humeur', type: 'integer', required: true, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 }, { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 10 }] },
    { linkId: 'domaine', type: 'choice', answerOption: [{ valueCoding: { system: 'http://example.org/cs', code: 'logement' } }, { valueCoding: { system: 'http://example.org/cs', code: 'revenu' } }] },
    { linkId: 'note', type: 'display', text: 'Merci' },
    { linkId: 'pourquoi', type: 'string', required: true, enableWhen: [{ question: 'humeur', operator: '<', answerInteger: 4 }] },
  ],
};

const response = (items: unknown[]): Record<string, unknown> => ({ resourceType: 'QuestionnaireResponse', text, questionnaire: Q, status: 'completed', item: items });

describe('QuestionnaireResponse against its Questionnaire', () => {
  const ready = createValidator({ resources: [questionnaire] });

  it('accepts conforming answers', async () => {
    const v = await ready;
    const ok = response([{ linkId: 'humeur', answer: [{ valueInteger: 7 }] }, { linkId: 'domaine', answer: [{ valueCoding: { system: 'http://example.org/cs', code: 'revenu' } }] }]);
    expect(errors(v.validate(ok))).toEqual([]);
  });

  it('evaluates enableWhen: disabled items have no answers, enabled required ones do', async () => {
    const v = await ready;
    const low = { linkId: 'humeur', answer: [{ valueInteger: 2 }] };
    const high = { linkId: 'humeur', answer: [{ valueInteger: 8 }] };
    const why = { linkId: 'pourquoi', answer: [{ valueString: 'fatigue' }] };
    expect(errors(v.validate(response([low, why])))).toEqual([]);
    expect(errors(v.validate(response([low]))).join()).toContain("No response answer found for required item 'pourquoi'");
    expect(errors(v.validate(response([high])))).toEqual([]);
    expect(errors(v.validate(response([high, why]))).join()).toContain('not enabled');
  });

  it('reports unknown linkIds, missing required answers, wrong types, limits and options', async () => {
    const v = await ready;
    const out = errors(
      v.validate(
        response([
          { linkId: 'domaine', answer: [{ valueCoding: { system: 'http://example.org/cs', code: 'emploi' } }] },
          { linkId: 'inconnu', answer: [{ valueString: 'x' }] },
          { linkId: 'note', answer: [{ valueString: 'x' }] },
        ]),
      ),
    ).join('\n');
    expect(out).toContain("LinkId 'inconnu' not found in questionnaire");
    expect(out).toContain("No response answer found for required item 'humeur'");
    expect(out).toContain('is not in the set of permitted values');
    expect(out).toContain("Items of type 'display' cannot have answers");
    expect(errors(v.validate(response([{ linkId: 'humeur', answer: [{ valueInteger: 11 }] }]))).join()).toContain('greater than the allowed maximum');
    expect(errors(v.validate(response([{ linkId: 'humeur', answer: [{ valueString: '5' }] }]))).join()).toContain('must be of the type integer');
  });
});
