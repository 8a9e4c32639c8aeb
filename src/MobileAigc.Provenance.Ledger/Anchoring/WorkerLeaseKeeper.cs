using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// Holds one <see cref="WorkerLease"/> row for this replica: takes it when it is free or expired,
/// renews it, and fences writes with it. Every change of holder raises the row's generation, and
/// every write of the holder checks (in its own transaction) that the generation is still the
/// one it took: a replica that stalled past its lease and was replaced cannot write any more.
/// Works the same on SQLite and PostgreSQL (conditional <c>UPDATE</c>s, no advisory locks), and
/// passes on when the holder dies because an unrenewed lease simply expires.
/// </summary>
public sealed class WorkerLeaseKeeper
{
    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly TimeProvider _time;
    private DateTimeOffset _expiresAt;

    /// <summary>Prepares a keeper; it holds nothing until <see cref="TryHoldAsync"/> succeeds.</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="time">The clock; every replica must have a clock within a small part of <paramref name="duration"/> of the others.</param>
    /// <param name="name">The job's name (the row's key).</param>
    /// <param name="holder">This replica's unique name.</param>
    /// <param name="duration">How long a lease lasts unless renewed.</param>
    public WorkerLeaseKeeper(IDbContextFactory<LedgerDbContext> databases, TimeProvider time, string name, string holder, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        _databases = databases;
        _time = time;
        Name = name;
        Holder = holder;
        Duration = duration;
    }

    /// <summary>The job's name.</summary>
    public string Name { get; }

    /// <summary>This replica's name in the lease.</summary>
    public string Holder { get; }

    /// <summary>How long a lease lasts unless renewed.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The generation this replica holds, or null when it holds none (as far as it knows).</summary>
    public long? Generation { get; private set; }

    /// <summary>
    /// Takes the lease when it is free or expired, or renews it when this replica holds it and a
    /// third of it has passed. Returns whether this replica holds it now.
    /// </summary>
    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        if (Generation is not null && now < _expiresAt - (Duration * 2 / 3))
        {
            return true;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        if (Generation is { } held)
        {
            if (await RenewAsync(db, held, cancellationToken))
            {
                return true;
            }

            Generation = null;
        }

        var expiresAt = now + Duration;
        var lease = await db.Leases.AsNoTracking().SingleOrDefaultAsync(l => l.Name == Name, cancellationToken);
        if (lease is null)
        {
            db.Leases.Add(new WorkerLease { Name = Name, Holder = Holder, ExpiresAt = expiresAt, Generation = 1 });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return false; // another replica created it first
            }

            (Generation, _expiresAt) = (1, expiresAt);
            return true;
        }

        if (lease.ExpiresAt > now && lease.Holder != Holder)
        {
            return false;
        }

        // Conditional on the generation read: of two replicas racing for an expired lease, the
        // database lets exactly one update match (PostgreSQL re-checks the WHERE after the row lock).
        var generation = lease.Generation + 1;
        var taken = await db.Leases
            .Where(l => l.Name == Name && l.Generation == lease.Generation && (l.ExpiresAt <= now || l.Holder == Holder))
            .ExecuteUpdateAsync(set => set
                .SetProperty(l => l.Holder, Holder)
                .SetProperty(l => l.ExpiresAt, expiresAt)
                .SetProperty(l => l.Generation, generation), cancellationToken);
        if (taken != 1)
        {
            return false;
        }

        (Generation, _expiresAt) = (generation, expiresAt);
        return true;
    }

    /// <summary>
    /// Checks, inside the caller's open transaction on <paramref name="db"/>, that this replica
    /// still holds the lease, and renews it; the caller's writes commit only if this passes.
    /// On PostgreSQL the row stays locked until the caller commits, so no replica can take the
    /// lease in between.
    /// </summary>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease.</exception>
    public async Task FenceAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A fenced write needs an open transaction.");
        }

        if (Generation is not { } held || !await RenewAsync(db, held, cancellationToken))
        {
            Generation = null;
            throw new WorkerLeaseLostException(Name, Holder);
        }
    }

    /// <summary>Gives the lease up (on a graceful stop) so that another replica takes over at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Generation is not { } held)
        {
            return;
        }

        Generation = null;
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var expired = _time.GetUtcNow() - TimeSpan.FromMilliseconds(1);
        await db.Leases
            .Where(l => l.Name == Name && l.Holder == Holder && l.Generation == held)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, expired), cancellationToken);
    }

    private async Task<bool> RenewAsync(LedgerDbContext db, long held, CancellationToken cancellationToken)
    {
        var expiresAt = _time.GetUtcNow() + Duration;
        var renewed = await db.Leases
            .Where(l => l.Name == Name && l.Holder == Holder && l.Generation == held)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, expiresAt), cancellationToken);
        if (renewed == 1)
        {
            _expiresAt = expiresAt;
        }

        return renewed == 1;
    }
}

/// <summary>This replica no longer holds a lease it held: another replica took over.</summary>
public sealed class WorkerLeaseLostException : Exception
{
    /// <summary>Creates the exception for lease <paramref name="name"/> that <paramref name="holder"/> lost.</summary>
    public WorkerLeaseLostException(string name, string holder)
        : base($"Replica '{holder}' lost the lease '{name}' to another replica; it stops writing.")
    {
        LeaseName = name;
    }

    /// <summary>The lease's name.</summary>
    public string LeaseName { get; }
}
