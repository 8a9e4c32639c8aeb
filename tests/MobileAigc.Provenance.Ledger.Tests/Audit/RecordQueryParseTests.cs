using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Audit;

namespace MobileAigc.Provenance.Ledger.Tests.Audit;

public sealed class RecordQueryParseTests
{
    [Theory]
    [InlineData("not-base64!")]
    [InlineData("AAAA")]
    [InlineData("cjE6LTE")] // "r1:-1"
    [InlineData("cjE6YWJj")] // "r1:abc"
    public void Parse_MalformedCursor_ThrowsForCursor(string cursor)
    {
        var error = Assert.Throws<AuditQueryException>(() => RecordQuery.Parse(cursor: cursor));

        Assert.Equal("cursor", error.Parameter);
    }

    [Fact]
    public void Parse_BatchesCursorOnRecords_ThrowsForCursor()
    {
        var batchesCursor = AuditCursor.Encode(AuditCursor.Batches, 10);

        Assert.Equal("cursor", Assert.Throws<AuditQueryException>(() => RecordQuery.Parse(cursor: batchesCursor)).Parameter);
        Assert.Equal(10, BatchQuery.Parse(cursor: batchesCursor).After);
    }

    [Theory]
    [InlineData("model", "0x1234")]
    [InlineData("node", "0xnothex")]
    [InlineData("creator", "abc")]
    [InlineData("from", "yesterday")]
    [InlineData("to", "2026-11-30T12:00:00")] // no offset: ambiguous
    [InlineData("state", "lost")]
    [InlineData("state", "1")]
    [InlineData("state", "pending,revoked")]
    [InlineData("limit", "0")]
    [InlineData("limit", "1001")]
    [InlineData("limit", "-5")]
    [InlineData("limit", "ten")]
    public void Parse_MalformedParameter_ThrowsNamingIt(string parameter, string value)
    {
        var error = Assert.Throws<AuditQueryException>(() => RecordQuery.Parse(
            model: parameter == "model" ? value : null,
            node: parameter == "node" ? value : null,
            creator: parameter == "creator" ? value : null,
            from: parameter == "from" ? value : null,
            to: parameter == "to" ? value : null,
            state: parameter == "state" ? value : null,
            limit: parameter == "limit" ? value : null));

        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public void Parse_FromAfterTo_Throws()
    {
        Assert.Equal("from", Assert.Throws<AuditQueryException>(() => RecordQuery.Parse(from: "200", to: "100")).Parameter);
    }

    [Fact]
    public void Parse_Nothing_DefaultsToFirstPageOfHundred()
    {
        var query = RecordQuery.Parse();

        Assert.Null(query.After);
        Assert.Equal(LedgerAudit.DefaultPageSize, query.PageSize);
        Assert.Null(query.State);
    }

    [Fact]
    public void Parse_IsoTimesAndStateInAnyCase_AreUnderstood()
    {
        var query = RecordQuery.Parse(from: "2026-11-30T12:00:00Z", to: "2026-11-30T14:00:00+02:00", state: "ANCHORED", limit: "1000");

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), query.From);
        Assert.Equal(query.From, query.To);
        Assert.Equal(AuditRecordState.Anchored, query.State);
        Assert.Equal(1_000, query.PageSize);
    }

    [Fact]
    public void Cursor_RoundTrips()
    {
        var cursor = AuditCursor.Encode(AuditCursor.Records, 123_456_789_012);

        Assert.Equal(123_456_789_012, RecordQuery.Parse(cursor: cursor).After);
    }
}
