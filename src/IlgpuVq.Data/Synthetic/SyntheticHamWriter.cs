using System.Globalization;
using System.Text;

namespace IlgpuVq.Data;

/// <summary>What <see cref="SyntheticHamWriter.Write"/> wrote.</summary>
public sealed record SyntheticHamResult(string Folder, int Images, int Lesions, IReadOnlyList<int> ClassCounts, string MetadataCsv);

/// <summary>
/// Writes a synthetic dataset to disk in the HAM10000 layout — 4:3 JPEGs <c>ISIC_XXXXXXX.jpg</c> in
/// <c>HAM10000_images_part1/</c> and <c>HAM10000_images_part2/</c> (half each) plus <c>HAM10000_metadata.csv</c>
/// (<c>lesion_id,image_id,dx,dx_type,age,sex,localization,dataset</c>) with several images for some lesions — so
/// the real loader path can be exercised with the same data. Output is a pure function of count, size and seed.
/// </summary>
public static class SyntheticHamWriter
{
    /// <summary>First image number, as in HAM10000 (ISIC_0024306).</summary>
    public const int FirstImageNumber = 24306;

    static readonly string[] Sites = ["back", "lower extremity", "trunk", "upper extremity", "abdomen", "face", "chest", "foot", "neck", "scalp"];

    /// <summary>Writes <paramref name="count"/> images of height <paramref name="imageSize"/> (width 4/3 of it) to an empty or new folder.</summary>
    public static SyntheticHamResult Write(string outDir, int count, int imageSize, int seed, IProgress<(int done, int total)>? progress = null)
    {
        if (count <= 0) throw new DataError($"--count must be positive, not {count}");
        if (imageSize < 8) throw new DataError($"--image-size must be at least 8, not {imageSize}");
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new DataError($"output folder {outDir} is not empty; choose a new folder");
        var catalog = SyntheticCatalog.Create(count, seed);
        int width = (imageSize * 4 + 1) / 3, height = imageSize;
        var firstHalf = count >= 2 ? (count + 1) / 2 : count;
        var part1 = Path.Combine(outDir, "HAM10000_images_part1");
        var part2 = Path.Combine(outDir, "HAM10000_images_part2");
        Directory.CreateDirectory(part1);
        if (count > firstHalf) Directory.CreateDirectory(part2);

        var done = 0;
        progress?.Report((0, count));
        Parallel.For(0, count, () => new byte[width * height * 3], (i, _, buffer) =>
        {
            SyntheticLesions.Render(seed, catalog.Labels[i], catalog.Lesions[i], i, width, height, buffer);
            ImageDecoder.SaveRgb(Path.Combine(i < firstHalf ? part1 : part2, ImageName(i) + ".jpg"), buffer, width, height);
            var n = Interlocked.Increment(ref done);
            if (n % 64 == 0) progress?.Report((n, count));
            return buffer;
        }, _ => { });
        progress?.Report((count, count));

        var csv = new StringBuilder("lesion_id,image_id,dx,dx_type,age,sex,localization,dataset\n");
        for (var i = 0; i < count; i++)
        {
            var rng = new CounterRng(RngStreams.SynthMetadata, seed, catalog.Lesions[i]);
            var dx = LesionClasses.Names[catalog.Labels[i]];
            var dxType = dx is "mel" or "bcc" or "akiec" ? "histo" : rng.Chance(0.5) ? "follow_up" : rng.Chance(0.5) ? "histo" : "consensus";
            var age = (5 * (4 + rng.NextInt(14))).ToString(CultureInfo.InvariantCulture);
            var sex = rng.Chance(0.54) ? "male" : "female";
            csv.Append(CultureInfo.InvariantCulture,
                $"HAM_{catalog.Lesions[i]:D7},{ImageName(i)},{dx},{dxType},{age}.0,{sex},{Sites[rng.NextInt(Sites.Length)]},synthetic\n");
        }
        var metadata = Path.Combine(outDir, "HAM10000_metadata.csv");
        File.WriteAllText(metadata, csv.ToString());
        var counts = new int[LesionClasses.Names.Count];
        foreach (var l in catalog.Labels) counts[l]++;
        return new SyntheticHamResult(outDir, count, catalog.LesionCount, counts, metadata);
    }

    /// <summary>Image id of image i: <c>ISIC_00xxxxx</c>.</summary>
    public static string ImageName(int i) => $"ISIC_{FirstImageNumber + i:D7}";
}
