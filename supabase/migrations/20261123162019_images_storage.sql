-- @relaykit/image-gen: the `generated-images` Storage bucket and its policies.
-- 10 MB per object, PNG/JPEG/WebP only (Storage enforces both on upload). Reads are signed by default: the bucket is
-- private, no policy lets anon or authenticated read, and the server (service role) hands out signed URLs.
-- Switch to public reads with `select public.image_gen_set_bucket_access('public');` in a later migration.
-- Writes are for the service role only (it bypasses RLS); no insert/update/delete policy exists for API users.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('generated-images', 'generated-images', false, 10485760, array['image/png', 'image/jpeg', 'image/webp'])
on conflict (id) do update
  set file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

create or replace function public.image_gen_set_bucket_access(read_access text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if read_access is null or read_access not in ('public', 'signed') then
    raise exception using errcode = '22023', message = 'read_access must be ''public'' or ''signed''';
  end if;
  update storage.buckets set public = (read_access = 'public'), updated_at = now() where id = 'generated-images';
  drop policy if exists image_gen_public_read on storage.objects;
  if read_access = 'public' then
    create policy image_gen_public_read on storage.objects
      for select to anon, authenticated
      using (bucket_id = 'generated-images');
  end if;
end;
$$;

revoke execute on function public.image_gen_set_bucket_access(text) from public, anon, authenticated;

select public.image_gen_set_bucket_access('signed');
