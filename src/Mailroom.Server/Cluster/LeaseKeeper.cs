using System.Collections.Concurrent;
using Mailroom.Storage.Cluster;

namespace Mailroom.Server.Cluster;

/// <summary>
/// Renews the leases this node's workers hold, in one statement per round. A lease the database no longer has for this
/// node (taken over, or with another token) is lost at once and its worker stops; when renewals fail for as long as a lease lasts (the database
/// is unreachable), every lease is lost: the node stops its workers rather than run mailboxes it may no longer own.
/// </summary>
internal sealed class LeaseKeeper(MailboxLeaseStore leases, ClusterNode node, ClusterOptions options, TimeProvider time, ILogger<LeaseKeeper> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<long, MailboxLease> _held = new();

    public int Count => _held.Count;

    public void Add(MailboxLease lease) => _held[lease.MailboxId] = lease;

    public void Remove(MailboxLease lease) => _held.TryRemove(new KeyValuePair<long, MailboxLease>(lease.MailboxId, lease));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRenewed = time.GetUtcNow();
        using var timer = new PeriodicTimer(options.LeaseRenewal, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // Judged against the leases held when the round began: one taken meanwhile is renewed next round.
                var round = _held.Values.ToList();
                var renewed = await leases.RenewAsync(node.Owner, [.. round.Select(l => (l.MailboxId, l.Token))], options.LeaseDuration, stoppingToken);
                lastRenewed = time.GetUtcNow();
                foreach (var lease in round.Where(l => !renewed.Contains(l.MailboxId)))
                {
                    Log.LeaseLost(logger, lease.MailboxId, lease.Token);
                    Lose(lease);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Safe side: stop before the lease can have expired in the database's clock (renewal is at most a round late).
                if (time.GetUtcNow() - lastRenewed >= options.LeaseDuration - options.LeaseRenewal)
                {
                    Log.LeasesAbandoned(logger, _held.Count, ex.Message);
                    foreach (var lease in _held.Values)
                        Lose(lease);
                }
                else
                {
                    Log.LeaseRenewalFailed(logger, ex.Message);
                }
            }
        }
    }

    private void Lose(MailboxLease lease)
    {
        Remove(lease);
        lease.Lose();
    }
}
