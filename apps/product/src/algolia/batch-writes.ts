import { badRequest } from './algolia-errors.js';
import { newObjectId, type RecordWrite } from './record-writer.service.js';
import { checkedObjectId, recordFieldsOf, wholeRecordFieldsOf } from './records.js';
import { objectBody } from './request-params.js';

/** Entries of one batch at most: the size of the clients' own chunks (`batchSize`, 1000 by default). */
const MAX_BATCH = 1_000;

/**
 * The writes of `{ requests: [{ action, body }] }`, every entry checked before any is made.
 * `delete` and `clear` (the whole index) are refused: the catalog is not dropped through a batch.
 */
export function batchWritesOf(body: Record<string, unknown>): RecordWrite[] {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest('requests must be a non-empty list of { action, body }');
  if (requests.length > MAX_BATCH) throw badRequest(`requests holds more than ${MAX_BATCH} entries`);
  return requests.map((entry, position) => {
    try {
      return writeOf(objectBody(entry, 'each entry of requests'));
    } catch (error) {
      if (error instanceof Error) throw badRequest(`requests[${position}]: ${error.message}`);
      throw error;
    }
  });
}

function writeOf(entry: Record<string, unknown>): RecordWrite {
  const record = objectBody(entry.body ?? {}, 'the body of an entry');
  switch (entry.action) {
    case 'addObject':
      return { action: 'replace', objectID: record.objectID === undefined ? newObjectId() : checkedObjectId(record.objectID), fields: wholeRecordFieldsOf(record) };
    case 'updateObject':
      return { action: 'replace', objectID: checkedObjectId(record.objectID), fields: wholeRecordFieldsOf(record) };
    case 'partialUpdateObject':
    case 'partialUpdateObjectNoCreate':
      return { action: 'partial', objectID: checkedObjectId(record.objectID), fields: recordFieldsOf(record), createIfNotExists: entry.action === 'partialUpdateObject' };
    case 'deleteObject':
      return { action: 'delete', objectID: checkedObjectId(record.objectID) };
    default:
      throw badRequest(`action ${JSON.stringify(entry.action)} is not supported; use addObject, updateObject, partialUpdateObject, partialUpdateObjectNoCreate or deleteObject`);
  }
}
