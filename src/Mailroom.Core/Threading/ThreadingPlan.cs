namespace Mailroom.Core.Threading;

/// <summary>A thread a plan refers to: a stored one by its id, or the <see cref="Value"/>-th thread the plan creates.</summary>
public readonly record struct ThreadRef(long Value, bool IsNew);

/// <summary>The thread a new message goes to, and why.</summary>
public readonly record struct ThreadAssignment(ThreadRef Thread, ThreadReason Reason);

/// <summary>Stored thread <see cref="From"/> is merged into stored thread <see cref="Into"/> (its messages and keys move).</summary>
public readonly record struct ThreadMerge(long Into, long From);

/// <summary>What threading a batch changes; see <see cref="ThreadPlanner.Plan"/>.</summary>
/// <param name="NewThreads">How many threads to create (<see cref="ThreadRef.IsNew"/> values 0 to NewThreads - 1).</param>
/// <param name="Assignments">One per batch message, in batch order.</param>
/// <param name="Merges">Stored threads that the batch joined; each survivor is the smallest id of its group.</param>
/// <param name="NewKeys">Keys not stored yet, with their thread.</param>
public sealed record ThreadingPlan(
    int NewThreads,
    IReadOnlyList<ThreadAssignment> Assignments,
    IReadOnlyList<ThreadMerge> Merges,
    IReadOnlyList<KeyValuePair<string, ThreadRef>> NewKeys);

/// <summary>A stored message the subject rule may join a new one to, with its thread and its stored subject key.</summary>
/// <param name="SubjectKey">
/// The key stored for it (<see cref="SubjectRule.KeyOf"/> when it was threaded): what it is joined on, since what that
/// key was computed from (List-Id, whether a machine sent it) is not read back.
/// </param>
public sealed record StoredThreadMember(ThreadableMessage Message, long ThreadId, string SubjectKey);
