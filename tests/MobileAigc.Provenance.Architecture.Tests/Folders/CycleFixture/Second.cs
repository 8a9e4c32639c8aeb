namespace MobileAigc.Provenance.Architecture.Tests.Folders.CycleFixture;

/// <summary>Uses <see cref="First"/> back (see <c>FolderCycleTests.Cycles_TwoFoldersUsingEachOther_AreFound</c>).</summary>
internal static class Second
{
    public static int Value => First.Base;
}
