using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MobileAigc.Provenance.Testing.Network;
using MobileAigc.Provenance.Testing.Processes;
using Npgsql;

namespace MobileAigc.Provenance.Testing.Postgres;

/// <summary>
/// A real PostgreSQL server for tests: a fresh cluster (<c>initdb</c>) in a temporary directory, its
/// postmaster run as a child process on a free loopback TCP port with trust authentication for loopback
/// only. When the test process is root, <c>initdb</c> and <c>postgres</c> (which refuse root) run as
/// <see cref="PostgresServerOptions.OsUser"/>. <see cref="KillAsync"/> and <see cref="RestartAsync"/> let
/// tests inject crashes. Disposing it stops the server and deletes its directory.
/// </summary>
/// <remarks>
/// Not thread-safe: one test (or fixture) drives a server's life cycle; any number of connections may use it.
/// The first start in a process also removes the servers and directories that test processes which died without
/// disposing left behind in the same temporary root.
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const int LogTailChars = 8_000;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);
    private static int _sweptAbandoned;

    private readonly PostgresServerOptions _options;
    private readonly PostgresBinaries _binaries;
    private readonly OsAccount? _runAs;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly ConcurrentDictionary<string, byte> _handedOut = new();
    private Process? _postmaster;
    private bool _disposed;
    private bool _logClosed;

    private PostgresServer(PostgresServerOptions options, PostgresBinaries binaries, OsAccount? runAs, string directory)
    {
        _options = options;
        _binaries = binaries;
        _runAs = runAs;
        Directory = directory;
        LogPath = Path.Combine(directory, "postgres.log");
        _log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    /// <summary>The temporary directory that holds the cluster, the Unix socket and the log; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The cluster's data directory (inside <see cref="Directory"/>); kept across <see cref="RestartAsync"/>.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The file that collects the output of <c>initdb</c> and of the server.</summary>
    public string LogPath { get; }

    /// <summary>The loopback TCP port the server listens on; the same after <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Whether the postmaster is running (false after <see cref="KillAsync"/> or <see cref="StopAsync"/>).</summary>
    public bool IsRunning => _postmaster is { HasExited: false };

    /// <summary>
    /// An Npgsql connection string for the superuser on the <c>postgres</c> database:
    /// <c>Host=127.0.0.1;Port=…;Username=…;Database=postgres</c>.
    /// </summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>
    /// Creates a fresh cluster and starts a server on it; returns once a client connection succeeds.
    /// </summary>
    /// <param name="options">The set-up; default <see langword="null"/>: <see cref="PostgresServerOptions"/> defaults (fsync off).</param>
    /// <param name="cancellationToken">Cancels the start; the partly made server is then removed.</param>
    /// <exception cref="ValidationException">When <paramref name="options"/> is invalid.</exception>
    /// <exception cref="FileNotFoundException">When the server programs are not installed; the message says how to install them.</exception>
    /// <exception cref="InvalidOperationException">
    /// When <c>initdb</c> fails or the server exits during start; the message carries their output.
    /// </exception>
    /// <exception cref="TimeoutException">When the server does not accept a connection within <see cref="PostgresServerOptions.StartTimeout"/>.</exception>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresServerOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        var runAs = Environment.IsPrivilegedProcess ? OsAccount.Find(options.OsUser) : null;

        var directory = await CreateDirectoryAsync(options.TempRoot ?? Path.GetTempPath(), runAs, cancellationToken);
        var server = new PostgresServer(options, binaries, runAs, directory);
        try
        {
            await server.InitDbAsync(cancellationToken);
            await server.StartOnFreePortAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates an empty database (from <c>template0</c>, UTF8) and returns a connection string for it.
    /// </summary>
    /// <param name="name">The database name: lower-case letters, digits and underscores, at most 63, not starting with a digit.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <exception cref="ArgumentException">When <paramref name="name"/> is not such a name.</exception>
    /// <exception cref="PostgresException">When the server refuses, e.g. <c>42P04</c> when the database exists.</exception>
    /// <exception cref="InvalidOperationException">When the server is not running.</exception>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a plain database name (lower-case letters, digits, underscores; at most 63; not starting with a digit).",
                nameof(name));
        }

        EnsureRunning();
        await using var connection = new NpgsqlConnection(Unpooled(ConnectionString));
        await connection.OpenAsync(cancellationToken);
        // The name is checked above against a pattern that needs no quoting; identifiers cannot be parameters.
#pragma warning disable CA2100
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Kills the postmaster with SIGKILL, as a crash would, and returns once it and its backends are gone.
    /// Committed data survives (see <see cref="PostgresServerOptions.Fsync"/>); <see cref="RestartAsync"/> runs crash recovery.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the processes to go.</param>
    /// <exception cref="InvalidOperationException">When the server is not running.</exception>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        var postmaster = EnsureRunning();
        var backends = ProcessTable.ChildrenOf(postmaster.Id);
        postmaster.Kill(entireProcessTree: false);
        await WaitUntilGoneAsync(postmaster, backends, cancellationToken);
        AppendLog($"---- {TimeProvider.System.GetUtcNow():HH:mm:ss.fff} killed postmaster {postmaster.Id} (SIGKILL)");
    }

    /// <summary>
    /// Stops the server (<c>pg_ctl stop -m immediate</c>: no checkpoint, recovery on the next start) and keeps
    /// the data directory, so that <see cref="RestartAsync"/> can start it again. Does nothing when not running.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the server to stop.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_postmaster is not { } postmaster)
        {
            return;
        }

        if (!postmaster.HasExited)
        {
            var backends = ProcessTable.ChildrenOf(postmaster.Id);
            var (exitCode, output) = await RunAsync(
                _binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], cancellationToken);
            AppendLog(output);
            if (exitCode != 0 && !postmaster.HasExited)
            {
                // pg_ctl could not signal it: fall back to a kill so that a stop always stops.
                postmaster.Kill(entireProcessTree: false);
            }

            await WaitUntilGoneAsync(postmaster, backends, cancellationToken);
        }

        postmaster.Dispose();
        _postmaster = null;
    }

    /// <summary>
    /// Starts the server again on the same data directory and port (after <see cref="KillAsync"/>, <see cref="StopAsync"/>,
    /// or while running: it is stopped first); returns once a client connection succeeds. Npgsql's pools for the
    /// connection strings this server handed out are cleared, so that no client reuses a dead connection.
    /// </summary>
    /// <param name="cancellationToken">Cancels the restart.</param>
    /// <exception cref="InvalidOperationException">When the server exits during start; the message carries its log.</exception>
    /// <exception cref="TimeoutException">When the server does not accept a connection within <see cref="PostgresServerOptions.StartTimeout"/>.</exception>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await StopAsync(cancellationToken);
        ClearPools();
        await LaunchAndWaitAsync(cancellationToken);
    }

    /// <summary>The last part (up to 8,000 characters) of the server's log (<see cref="LogPath"/>), for assertion messages.</summary>
    /// <exception cref="ObjectDisposedException">After disposal: the log is deleted with the directory.</exception>
    public string ReadLog()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_logLock)
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            return text.Length <= LogTailChars ? text : "…" + text[^LogTailChars..];
        }
    }

    /// <summary>Stops the server (immediate mode, or a kill if that fails) and deletes <see cref="Directory"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
        {
            // The directory goes anyway: leave no server behind on it.
            if (_postmaster is { HasExited: false } postmaster)
            {
                postmaster.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            ClearPools();
            lock (_logLock)
            {
                _logClosed = true;
                _log.Dispose();
            }

            await DeleteDirectoryAsync(Directory);
        }
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        // Trust authentication is safe only because the server listens on loopback and pg_hba.conf (below) admits loopback only.
        var (exitCode, output) = await RunAsync(
            _binaries.InitDb,
            ["-D", DataDirectory, "-U", _options.Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cancellationToken);
        AppendLog(output);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"initdb exited with code {exitCode}:{Environment.NewLine}{output}");
        }

        // Overwriting keeps the file's owner (the server's account) and mode.
        await File.WriteAllTextAsync(
            Path.Combine(DataDirectory, "pg_hba.conf"),
            """
            # Written by MobileAigc.Provenance.Testing: local socket and IPv4 loopback only, no password.
            local all all trust
            host  all all 127.0.0.1/32 trust

            """,
            cancellationToken);
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        // A free port can be taken between the probe and the bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePorts.Loopback();
            try
            {
                await LaunchAndWaitAsync(cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && ReadLog().Contains("could not bind", StringComparison.Ordinal))
            {
                await StopAsync(cancellationToken);
            }
        }
    }

    private async Task LaunchAndWaitAsync(CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "127.0.0.1",
            ["unix_socket_directories"] = Directory,
            // fsync and full_page_writes off only by default, for speed: a killed process loses nothing the kernel
            // already has, only a machine crash would. Durability tests set PostgresServerOptions.Fsync.
            ["fsync"] = _options.Fsync ? "on" : "off",
            ["full_page_writes"] = _options.Fsync ? "on" : "off",
        };
        var arguments = new List<string> { "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture) };
        foreach (var (key, value) in settings)
        {
            arguments.AddRange(["-c", $"{key}={value}"]);
        }

        AppendLog($"---- {TimeProvider.System.GetUtcNow():HH:mm:ss.fff} starting postgres on 127.0.0.1:{Port} (fsync {settings["fsync"]})");
        var postmaster = Process.Start(StartInfo(_binaries.Postgres, arguments))
            ?? throw new InvalidOperationException($"Could not start {_binaries.Postgres}.");
        postmaster.OutputDataReceived += (_, e) => AppendLog(e.Data);
        postmaster.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        postmaster.BeginOutputReadLine();
        postmaster.BeginErrorReadLine();
        _postmaster = postmaster;
        await WaitUntilReadyAsync(postmaster, cancellationToken);
    }

    private async Task WaitUntilReadyAsync(Process postmaster, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        var probe = new NpgsqlConnectionStringBuilder(Unpooled(ConnectionString))
        {
            Timeout = 2,
            // No encryption negotiation: each poll is then one connection attempt, not one per mode tried.
            SslMode = SslMode.Disable,
            GssEncryptionMode = GssEncryptionMode.Disable,
        }.ConnectionString;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (postmaster.HasExited)
            {
                // Let the output readers reach the end so that the log holds the reason.
                try
                {
                    await postmaster.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    // A backend still holds the output pipe: the log has what arrived so far.
                }

                throw new InvalidOperationException(
                    $"postgres exited with code {postmaster.ExitCode} during start. Log ({LogPath}):{Environment.NewLine}{ReadLog()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(deadline.Token);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(deadline.Token);
                AppendLog($"---- {TimeProvider.System.GetUtcNow():HH:mm:ss.fff} ready on 127.0.0.1:{Port}");
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or IOException)
            {
                // Not listening yet, or still starting up / recovering (57P03).
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Timeout();
            }

            try
            {
                await Task.Delay(delay, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Timeout();
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }

        TimeoutException Timeout() => new(
            $"postgres did not accept a connection on 127.0.0.1:{Port} within {_options.StartTimeout}. Log ({LogPath}):{Environment.NewLine}{ReadLog()}");
    }

    private static async Task WaitUntilGoneAsync(Process postmaster, IReadOnlyList<int> backends, CancellationToken cancellationToken)
    {
        // Backends leave by themselves once the postmaster is gone; a new postmaster cannot start while they hold its shared memory.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ShutdownTimeout);
        try
        {
            await postmaster.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"postgres (pid {postmaster.Id}) and its backends did not exit within {ShutdownTimeout}.");
        }

        var delay = TimeSpan.FromMilliseconds(5);
        while (backends.Any(ProcessTable.IsAlive))
        {
            if (deadline.IsCancellationRequested)
            {
                foreach (var pid in backends.Where(ProcessTable.IsAlive))
                {
                    ProcessTable.KillQuietly(pid);
                }

                cancellationToken.ThrowIfCancellationRequested();
                break;
            }

            await Task.Delay(delay, CancellationToken.None);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
    }

    private Process EnsureRunning()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _postmaster is { HasExited: false } postmaster
            ? postmaster
            : throw new InvalidOperationException($"The PostgreSQL server on port {Port} is not running. Log ({LogPath}):{Environment.NewLine}{ReadLog()}");
    }

    private string ConnectionStringFor(string database)
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = _options.Superuser,
            Database = database,
        }.ConnectionString;
        _handedOut.TryAdd(connectionString, 0);
        return connectionString;
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private void ClearPools()
    {
        foreach (var connectionString in _handedOut.Keys)
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(program, arguments))
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Runs <paramref name="program"/> as the server's account: through <c>setpriv</c> when this process is root.</summary>
    private ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's account may not be able to enter the test's working directory.
            WorkingDirectory = Directory,
        };
        if (_runAs is { } account)
        {
            account.Enter(startInfo, program);
        }
        else
        {
            startInfo.FileName = program;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Messages in English (the port-clash check reads them); no PG* variables from the caller's environment.
        startInfo.Environment["LC_ALL"] = "C";
        foreach (var name in startInfo.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        return startInfo;
    }

    private void AppendLog(string? text)
    {
        if (text is null)
        {
            return;
        }

        lock (_logLock)
        {
            if (!_logClosed)
            {
                _log.WriteLine(text.TrimEnd());
            }
        }
    }

    private static async Task<string> CreateDirectoryAsync(string root, OsAccount? owner, CancellationToken cancellationToken)
    {
        root = Path.GetFullPath(root);
        if (Interlocked.Exchange(ref _sweptAbandoned, 1) == 0)
        {
            AbandonedServers.RemoveUnder(root);
        }

        var directory = Path.Combine(root, AbandonedServers.DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AbandonedServers.ClaimOwnership(directory);
        if (owner is { } account)
        {
            try
            {
                await account.TakeOwnershipAsync(directory, cancellationToken);
            }
            catch
            {
                await DeleteDirectoryAsync(directory);
                throw;
            }
        }

        return directory;
    }

    private static async Task DeleteDirectoryAsync(string directory)
    {
        // Backends that were killed can still be closing files for a moment: retry briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(directory))
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
