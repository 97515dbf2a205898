using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace IlgpuVq.Data;

/// <summary>
/// Prepares batches on a background thread and hands them to the consumer through a bounded queue, so the
/// accelerator does not wait on decoding and augmentation. Batch k of epoch e is a pure function of
/// (seed, e, k): the epoch's order comes from <see cref="BatchOrder.ForEpoch"/> and each image's augmentation from
/// <see cref="Augmentation.Draw"/> with (seed, e, dataset index). Starting at (startEpoch, startBatch) therefore
/// resumes a run exactly. An exception on the worker is re-thrown to the consumer by <see cref="Next"/>;
/// <see cref="Dispose"/> (or cancelling the token) stops the worker cleanly.
/// </summary>
public sealed class BatchLoader : IEnumerable<Batch>, IDisposable
{
    readonly ILesionDataset _dataset;
    readonly int[] _indices;
    readonly int _batchSize;
    readonly int _seed;
    readonly AugmentOptions? _augment;
    readonly bool _balance;
    readonly int _startEpoch, _startBatch;
    readonly BatchLoaderOptions _options;
    readonly BlockingCollection<Batch> _queue;
    readonly CancellationTokenSource _cts;
    readonly Thread _worker;
    volatile Exception? _error;
    int _disposed;

    /// <summary>
    /// Starts loading batches of <paramref name="batchSize"/> images chosen from <paramref name="indices"/>.
    /// <paramref name="augment"/> null means no augmentation (evaluation data); <paramref name="balance"/> samples
    /// classes uniformly (needs labels).
    /// </summary>
    public BatchLoader(ILesionDataset dataset, IReadOnlyList<int> indices, int batchSize, int seed, AugmentOptions? augment,
                       bool balance = false, int startEpoch = 0, int startBatch = 0, BatchLoaderOptions? options = null,
                       CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        _options = options ?? new BatchLoaderOptions();
        BatchesPerEpoch = BatchCount.PerEpoch(indices.Count, batchSize, _options.DropLast, "images available");
        foreach (var i in indices)
            if ((uint)i >= (uint)dataset.Count) throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} outside the dataset of {dataset.Count}");
        if (balance) DatasetRequirements.RequireLabels(dataset, "--balance");
        augment?.Validate();
        _dataset = dataset;
        _indices = indices.ToArray();
        _batchSize = batchSize;
        _seed = seed;
        _augment = augment;
        _balance = balance;
        if (startEpoch < 0) throw new ArgumentOutOfRangeException(nameof(startEpoch));
        if (startBatch < 0 || startBatch >= BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(startBatch), $"start batch {startBatch} outside 0..{BatchesPerEpoch - 1}");
        _startEpoch = startEpoch;
        _startBatch = startBatch;
        _queue = new BlockingCollection<Batch>(Math.Max(1, _options.Prefetch));
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _worker = new Thread(Produce) { IsBackground = true, Name = "ilgpuvq-batch-loader" };
        _worker.Start();
    }

    /// <summary>A loader for evaluation: one pass in the given order, no augmentation, last partial batch kept.</summary>
    public static BatchLoader ForEvaluation(ILesionDataset dataset, IReadOnlyList<int> indices, int batchSize,
                                            BatchLoaderOptions? options = null, CancellationToken cancellationToken = default) =>
        new(dataset, indices, batchSize, seed: 0, augment: null, balance: false, startEpoch: 0, startBatch: 0,
            (options ?? new BatchLoaderOptions()) with { Shuffle = false, DropLast = false, EndEpoch = 1 }, cancellationToken);

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>
    /// The next batch, waiting for the worker if needed; null when the stream has ended (<see cref="BatchLoaderOptions.EndEpoch"/>).
    /// Re-throws an exception of the worker.
    /// </summary>
    public Batch? Next(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            if (_queue.TryTake(out var batch, Timeout.Infinite, cancellationToken)) return batch;
        }
        catch (InvalidOperationException) { }  // completed while waiting
        if (_error is { } e) ExceptionDispatchInfo.Capture(e).Throw();
        return null;
    }

    /// <summary>Consumes batches until the stream ends.</summary>
    public IEnumerator<Batch> GetEnumerator()
    {
        while (Next() is { } batch) yield return batch;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Builds batch <paramref name="batchInEpoch"/> of an epoch order on the calling thread.</summary>
    Batch Build(int[] order, int epoch, int batchInEpoch, byte[][] scratch)
    {
        var start = batchInEpoch * _batchSize;
        var count = Math.Min(_batchSize, order.Length - start);
        var size = _dataset.ImageSize;
        var chw = 3 * size * size;
        var images = new float[count * chw];
        var indices = order.AsSpan(start, count).ToArray();
        var labels = indices.Select(_dataset.Label).ToArray();
        var threads = _options.Threads > 0 ? _options.Threads : Math.Max(1, Environment.ProcessorCount - 1);
        void One(int k, byte[] buffer)
        {
            _dataset.ReadImage(indices[k], buffer);
            var p = _augment is null ? AugmentParams.Identity : Augmentation.Draw(_augment, _seed, epoch, indices[k]);
            Augmentation.Apply(buffer, size, p, images.AsSpan(k * chw, chw));
        }
        if (threads == 1 || count == 1)
            for (var k = 0; k < count; k++) One(k, scratch[0]);
        else
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = _cts.Token },
                () => new byte[chw], (k, _, buffer) => { One(k, buffer); return buffer; }, _ => { });
        return new Batch { Images = images, Labels = labels, Indices = indices, ImageSize = size, Epoch = epoch, BatchInEpoch = batchInEpoch };
    }

    void Produce()
    {
        var token = _cts.Token;
        var scratch = new[] { new byte[_dataset.ImageBytes()] };
        try
        {
            for (var epoch = _startEpoch; _options.EndEpoch is not { } end || epoch < end; epoch++)
            {
                var order = BatchOrder.ForEpoch(_indices, _seed, epoch, _options.Shuffle, _balance, _dataset.Label);
                for (var b = epoch == _startEpoch ? _startBatch : 0; b < BatchesPerEpoch; b++)
                {
                    token.ThrowIfCancellationRequested();
                    _queue.Add(Build(order, epoch, b, scratch), token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
        catch (Exception e)
        {
            _error = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        }
        finally
        {
            try { _queue.CompleteAdding(); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>Stops the worker and waits for it to finish.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _cts.Cancel();
        _worker.Join();
        _queue.Dispose();
        _cts.Dispose();
    }
}
