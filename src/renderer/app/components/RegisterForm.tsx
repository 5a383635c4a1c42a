import { useState, type FormEvent } from 'react';
import { pageAddress } from '../format';
import { useSession } from '../store-context';
import { u64ToHex } from '../../../shared/u64';

/** REGISTER a page range of the arena under a cookie. */
export function RegisterForm() {
  const session = useSession((s) => s.session);
  const perform = useSession((s) => s.perform);
  const [page, setPage] = useState(0);
  const [pages, setPages] = useState(4);
  const [cookie, setCookie] = useState(1);
  const [filter, setFilter] = useState(0);
  if (!session) return null;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void perform({
      kind: 'register',
      start: pageAddress(session, page),
      end: pageAddress(session, page + pages),
      cookie: u64ToHex(BigInt(cookie)),
      flags: filter,
    }).then((done) => {
      if (done !== undefined) setCookie((c) => c + 1);
    });
  };
  return (
    <form className="panel" onSubmit={submit} data-testid="register-form">
      <h2>Register</h2>
      <label>
        first page <input type="number" min={0} value={page} data-testid="register-page" onChange={(e) => setPage(e.target.valueAsNumber || 0)} />
      </label>
      <label>
        pages <input type="number" min={1} value={pages} data-testid="register-pages" onChange={(e) => setPages(e.target.valueAsNumber || 1)} />
      </label>
      <label>
        cookie <input type="number" min={0} value={cookie} data-testid="register-cookie" onChange={(e) => setCookie(e.target.valueAsNumber || 0)} />
      </label>
      <label>
        filter mask <input type="number" min={0} value={filter} data-testid="register-filter" onChange={(e) => setFilter(e.target.valueAsNumber || 0)} />
      </label>
      <button type="submit" data-testid="register-submit">
        Register
      </button>
    </form>
  );
}
