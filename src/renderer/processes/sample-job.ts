// The sample the app offers to anyone without the module or RDMA: a real
// 4-rank MPI job (docs/samples/mpi-4-ranks, recorded by `ummunotify
// agent` in the VM, integrations/sample.sh). The files are bundled as
// their own chunk, fetched only when the sample is opened.

const files = import.meta.glob<string>('../../../docs/samples/mpi-4-ranks/*.ummutrace', { query: '?raw', import: 'default' });

export const SAMPLE_JOB_TITLE = 'a real 4-rank MPI job (Open MPI over soft-RoCE, libfabric with the ummunotify monitor)';

/** The sample's recordings, by file name. */
export async function loadSampleJob(): Promise<{ name: string; text: string }[]> {
  return Promise.all(
    Object.entries(files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([path, load]) => ({ name: path.slice(path.lastIndexOf('/') + 1), text: await load() })),
  );
}
