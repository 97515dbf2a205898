using IlgpuVq.Engine.Serialization;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Tests.Serialization;

public class CheckpointStoreTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-ck-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static Dictionary<string, string> Info(int epoch) => new() { ["epoch"] = epoch.ToString(), ["step"] = (epoch * 10).ToString() };

    [Fact]
    public void KeepsTheLastNAndTheBest()
    {
        var store = new CheckpointStore(Path.Combine(dir, "checkpoints"), keepLast: 2);
        for (int e = 1; e <= 4; e++)
            store.Save(e, [new HostTensor("w", [1], [e], null)], [new HostTensor("w.exp_avg", [1], [e * 2], null)], Info(e), isBest: e == 2);
        Assert.Equal(["epoch_0003", "epoch_0004"], store.EpochFolders().Select(Path.GetFileName));
        var latest = store.LoadLatest()!;
        Assert.Equal(4, latest.Epoch);
        Assert.Equal(40, latest.Step);
        Assert.Equal([8f], latest.TrainState["w.exp_avg"].Floats!);
        var best = CheckpointStore.Load(CheckpointStore.ResolveFolder(dir));
        Assert.Equal(2, best.Epoch);
        Assert.Empty(Directory.GetDirectories(store.Directory, ".*"));
    }

    [Fact]
    public void MissingCheckpointIsAClearError()
    {
        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.ResolveFolder(Path.Combine(dir, "nope")));
        Assert.Contains("does not exist", e.Message);
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        Assert.Contains("no checkpoint found", Assert.Throws<CheckpointException>(() => CheckpointStore.ResolveFolder(Path.Combine(dir, "run"))).Message);
    }
}
