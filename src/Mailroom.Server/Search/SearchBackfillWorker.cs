using System.Diagnostics;
using Mailroom.Storage.Ingest;

namespace Mailroom.Server.Search;

/// <summary>
/// Indexes, once at start, the messages that were stored before the full-text index existed (ingest indexes every new
/// message itself). Small batches, each its own transaction, so a sync writing at the same time waits at most one
/// batch; a stop or crash resumes where it was on the next start, since a batch only picks messages still unindexed.
/// Once everything is indexed, a start costs one look-up (see <see cref="SearchIndexBackfill"/>).
/// </summary>
internal sealed class SearchBackfillWorker(SearchIndexBackfill backfill, TimeProvider time, ILogger<SearchBackfillWorker> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        long total = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (indexed, _) = await backfill.IndexNextAsync(BatchSize, stoppingToken);
                if (indexed == 0)
                    break;
                total += indexed;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SearchBackfillFailed(logger, RetryDelay, ex);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }

        if (total > 0)
            Log.SearchBackfilled(logger, total, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
