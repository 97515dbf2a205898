"""Random square crops of real photographs (see make.sh): crops.py ROOT SIZE OUT, seed 2026."""
import csv, os, random, sys
from PIL import Image

root, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
nature = root + '/usr/share/backgrounds/mate/nature/'
samples = root + '/usr/lib/python3/dist-packages/skimage/data/'
classes = {  # folder name: (HAM10000 dx it stands in for, count, source photos)
    'landscape': ('nv', 4017, [nature + f for f in ('Dune.jpg', 'Storm.jpg', 'GreenMeadow.jpg', 'Garden.jpg')]),
    'insect': ('mel', 667, [nature + f for f in ('LadyBird.jpg', 'TwoWings.jpg')]),
    'flower': ('bkl', 658, [nature + f for f in ('FreshFlower.jpg', 'YellowFlower.jpg')]),
    'water': ('bcc', 308, [nature + f for f in ('Aqua.jpg', 'RainDrops.jpg')]),
    'texture': ('akiec', 196, [nature + 'Wood.jpg', nature + 'Blinds.jpg'] + [samples + f for f in ('brick.png', 'gravel.png', 'grass.png')]),
    'medical': ('vasc', 85, [samples + f for f in ('retina.jpg', 'ihc.png')]),
    'object': ('df', 69, [samples + f for f in ('chelsea.png', 'coffee.png', 'astronaut.png', 'rocket.jpg', 'motorcycle_left.png')]),
}
rng = random.Random(2026)
ham, folder = f'{out}/photos-ham{size}', f'{out}/photos-folder{size}'
os.makedirs(ham + '/HAM10000_images_part_1', exist_ok=True)
rows, index = [], 0
for name, (dx, count, sources) in classes.items():
    photos = [Image.open(s).convert('RGB') for s in sources]
    os.makedirs(f'{folder}/{name}', exist_ok=True)
    for i in range(count):
        photo = photos[rng.randrange(len(photos))]
        w, h = photo.size
        side = int(min(w, h) * rng.uniform(0.12, 0.5))
        x, y = rng.randrange(w - side + 1), rng.randrange(h - side + 1)
        crop = photo.crop((x, y, x + side, y + side)).resize((size, size), Image.LANCZOS)
        if rng.random() < 0.5:
            crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
        image_id = f'ISIC_{index:07d}'
        crop.save(f'{ham}/HAM10000_images_part_1/{image_id}.jpg', quality=95)
        crop.save(f'{folder}/{name}/{name}_{i:05d}.png')
        rows.append((f'HAM_{index:07d}', image_id, dx, 'histo', 50, 'male', 'back'))
        index += 1
with open(ham + '/HAM10000_metadata.csv', 'w', newline='') as f:
    writer = csv.writer(f)
    writer.writerow(['lesion_id', 'image_id', 'dx', 'dx_type', 'age', 'sex', 'localization'])
    writer.writerows(rows)
print(f'{index} images: {ham} (HAM10000 layout), {folder} (ImageFolder)')
